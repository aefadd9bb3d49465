#!/usr/bin/env python3
"""Turns bench/run's raw samples (run, metric, target, value, load1) into a Markdown table of medians with
ratios gate/direct and gate/nginx, the median load average of each metric's samples, and checks the targets of
issue 11 (and those of issue 5 that still apply). Usage: report.py RAW.tsv OUT.md [opts]"""
import argparse
import os
import platform
import statistics
import subprocess
from collections import defaultdict

ap = argparse.ArgumentParser()
ap.add_argument("raw")
ap.add_argument("out")
for opt in ("runs", "big-mib", "load-seconds", "conns", "elapsed", "nginx-workers", "gate-opts", "tls-engine", "quick"):
    ap.add_argument("--" + opt, default="")
a = ap.parse_args()

samples = defaultdict(list)   # (metric, target) -> [float]
mloads = defaultdict(list)    # metric -> [load1] of its samples
loads = []
for line in open(a.raw).read().splitlines()[1:]:
    run, metric, target, value, load1 = line.split("\t")
    try:
        loads.append(float(load1))
        mloads[metric].append(float(load1))
    except ValueError:
        pass
    try:
        samples[(metric, target)].append(float(value))
    except ValueError:
        samples[(metric, target)]  # 'fail': counted below
        samples[("fail." + metric, target)].append(1.0)


def med(metric, target):
    v = samples.get((metric, target))
    return statistics.median(v) if v else None


def fmt(x, digits=1):
    if x is None:
        return "—"
    if abs(x) >= 100:
        return f"{x:.0f}"
    return f"{x:.{digits}f}" if abs(x) >= 1 or x == 0 else f"{x:.3f}".rstrip("0")


def ratio(x, y):
    return None if x is None or y in (None, 0) else x / y


big = a.big_mib + " MiB" if a.big_mib != "1024" else "1 GiB"
rows = [  # metric, label, unit, digits
    ("push_multi", "skopeo push, 16-layer image (256 MiB)", "MiB/s", 0),
    ("pull_multi", "skopeo pull, 16-layer image", "MiB/s", 0),
    ("push_big", f"skopeo push {big} single layer", "MiB/s", 0),
    ("pull_big", f"skopeo pull {big}", "MiB/s", 0),
    ("curl_put", f"curl PUT {big} blob", "MiB/s", 0),
    ("curl_get", f"curl GET {big} blob", "MiB/s", 0),
    ("rps.v2_c5", f"wrk GET /v2/ with credentials, {a.conns} conns, cost 5", "req/s", 0),
    ("p99.v2_c5", "  p99 latency", "ms", 1),
    ("rps.head_c5", "hey HEAD blob, 64 conns, cost 5", "req/s", 0),
    ("p99.head_c5", "  p99 latency", "ms", 1),
    ("rps.manifest_c5", "wrk GET manifest, cost 5", "req/s", 0),
    ("p99.manifest_c5", "  p99 latency", "ms", 1),
    ("rps.v2_c10", "wrk GET /v2/, bcrypt cost 10", "req/s", 0),
    ("p99.v2_c10", "  p99 latency", "ms", 1),
    ("errors.v2_c10", "  errors + timeouts", "count", 0),
    ("rps.head_c10", "hey HEAD blob, cost 10", "req/s", 0),
    ("rps.manifest_c10", "wrk GET manifest, cost 10", "req/s", 0),
]
for op, what in (("push_multi", "skopeo push 16 layers"), ("pull_multi", "skopeo pull 16 layers"),
                 ("push_big", f"skopeo push {big}"), ("pull_big", f"skopeo pull {big}"),
                 ("curl_put", f"curl PUT {big}"), ("curl_get", f"curl GET {big}")):
    for who in ("proxy", "registry", "client"):
        rows.append((f"cpu_{who}.{op}", f"{who} CPU, {what}", "CPU-s/GiB", 2))
for op, what in (("v2_c5", "GET /v2/ cost 5"), ("head_c5", "HEAD blob cost 5"), ("manifest_c5", "GET manifest cost 5"),
                 ("v2_c10", "GET /v2/ cost 10")):
    for who in ("proxy", "registry", "client"):
        rows.append((f"cpu_{who}.{op}", f"{who} CPU, {what}", "CPU-s/1k req", 3))
for op, what in (("push_multi", "skopeo push 16 layers"), ("pull_multi", "skopeo pull 16 layers"),
                 ("push_big", f"skopeo push {big}"), ("pull_big", f"skopeo pull {big}"),
                 ("curl_put", f"curl PUT {big}"), ("curl_get", f"curl GET {big}"),
                 ("small_blob", "PUT+GET 10 MiB blob (gate only)"),
                 ("v2_c5", "GET /v2/ load"), ("head_c5", "HEAD load"), ("manifest_c5", "GET manifest load"),
                 ("v2_c10", "GET /v2/ load, cost 10")):
    rows.append((f"rss.{op}", f"proxy peak RSS, {what}", "MiB", 0))
rows.append(("startup", "start to first 200 (GET /v2/ with credentials)", "s", 2))
targets = ["direct", "nginx", "nginx64", "gate"]
out = []
lo = min(loads) if loads else 0
hi = max(loads) if loads else 0
try:
    cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
except Exception:
    cpu = platform.processor()
out.append(f"Machine: {os.cpu_count()} vCPU ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
           f"{platform.system()} {platform.release()}; load average (1 min) during the runs: "
           f"median {statistics.median(loads) if loads else 0:.2f}, min {lo:.2f}, max {hi:.2f}.")
out.append(f"Medians of {a.runs} interleaved runs{' (--quick smoke: not representative)' if a.quick == '1' else ''}; "
           f"load runs {a.load_seconds} s each; nginx worker_processes {a.nginx_workers} (the recipe sets none); "
           f"gate JVM flags `{a.gate_opts.strip()}`; gate TLS engine {a.tls_engine}; bench took {a.elapsed} s.")
out.append("nginx = recipe + `proxy_http_version 1.1; proxy_request_buffering off; proxy_buffering off;`; "
           "nginx 64k = same + `proxy_buffer_size 64k; proxy_buffers 8 64k;`. Both nginx and the gate verify the same "
           "bcrypt htpasswd (Debian 12's libxcrypt crypt() handles `$2y$`).")
out.append("")
out.append("| metric | unit | direct | nginx | nginx 64k | gate | gate/direct | gate/nginx | gate/nginx 64k | load |")
out.append("|---|---|---|---|---|---|---|---|---|---|")
for metric, label, unit, d in rows:
    vals = {t: med(metric, t) for t in targets}
    if metric == "startup":
        vals["nginx64"] = med("startup", "gate-nocds")
        label += " (nginx 64k column: gate without CDS)"
    if all(v is None for v in vals.values()):
        continue
    fails = {t: len(samples.get(("fail." + metric, t), [])) for t in targets}
    cells = []
    for t in targets:
        c = fmt(vals[t], d)
        if fails[t]:
            c += f" ({fails[t]} failed)"
        cells.append(c)
    g = vals["gate"]
    rs = [ratio(g, vals["direct"]), ratio(g, vals["nginx"]), ratio(g, vals["nginx64"]) if metric != "startup" else None]
    ml = mloads.get(metric)
    out.append(f"| {label} | {unit} | " + " | ".join(cells) + " | " + " | ".join(fmt(r, 2) + ("×" if r is not None else "") for r in rs)
               + (f" | {statistics.median(ml):.1f} |" if ml else " | — |"))

# targets
checks = []


def check(name, ok, detail, load="—"):
    checks.append((name, ok, detail, load))


def load_of(*metrics):
    ls = [l for m in metrics for l in mloads.get(m, [])]
    return f"{statistics.median(ls):.1f}" if ls else "—"


# issue 11
for m, lim in (("curl_put", 0.35), ("curl_get", 0.35), ("push_big", 0.5), ("pull_big", 0.5)):
    v = med(f"cpu_proxy.{m}", "gate")
    check(f"gate CPU, {m} ≤ {lim} CPU-s/GiB", v is not None and v <= lim, f"{fmt(v, 2)} CPU-s/GiB", load_of(f"cpu_proxy.{m}"))
for m, lim in (("push_big", 0.95), ("pull_big", 0.95), ("curl_put", 0.95), ("push_multi", 0.9), ("pull_multi", 0.9)):
    r = ratio(med(m, "gate"), med(m, "direct"))
    check(f"{m} ≥ {lim}× direct", r is not None and r >= lim, f"{fmt(r, 2)}× ({fmt(med(m, 'gate'), 0)} vs {fmt(med(m, 'direct'), 0)} MiB/s)", load_of(m))
r0 = ratio(med("curl_get", "gate"), med("curl_get", "direct"))
r1 = ratio(med("curl_get", "gate"), med("curl_get", "nginx"))
check("curl GET ≥ 0.6× direct", r0 is not None and r0 >= 0.6, f"{fmt(r0, 2)}×", load_of("curl_get"))
check("curl GET ≥ 2.5× nginx", r1 is not None and r1 >= 2.5, f"{fmt(r1, 2)}×", load_of("curl_get"))
for m in ("v2", "head", "manifest"):
    r = ratio(med(f"rps.{m}_c5", "gate"), med(f"rps.{m}_c5", "nginx"))
    check(f"{m} req/s at cost 5 ≥ 3× nginx", r is not None and r >= 3, f"{fmt(r, 2)}×", load_of(f"rps.{m}_c5"))
    pg, pn = med(f"p99.{m}_c5", "gate"), med(f"p99.{m}_c5", "nginx")
    check(f"{m} p99 at cost 5 ≤ nginx", pg is not None and pn is not None and pg <= pn, f"{fmt(pg)} vs {fmt(pn)} ms", load_of(f"p99.{m}_c5"))
rss_keys = ["rss.curl_put", "rss.curl_get", "rss.push_big", "rss.pull_big", "rss.v2_c5", "rss.head_c5", "rss.manifest_c5",
            "rss.v2_c10", "rss.head_c10", "rss.manifest_c10", "rss.push_multi", "rss.pull_multi", "rss.small_blob"]
peak = max((max(samples[(k, "gate")]) for k in rss_keys if samples.get((k, "gate"))), default=None)
check("gate peak RSS ≤ 96 MiB (every transfer and load run, max of all samples)", peak is not None and peak <= 96, f"{fmt(peak, 0)} MiB", load_of(*rss_keys))
small = med("rss.small_blob", "gate")
large = max([v for v in (med("rss.curl_put", "gate"), med("rss.curl_get", "gate")) if v is not None], default=None)
check("gate RSS flat from 10 MiB to 1 GiB blobs (within 10%)",
      small is not None and large is not None and large <= small * 1.10, f"{fmt(small, 0)} → {fmt(large, 0)} MiB", load_of("rss.small_blob"))
st = med("startup", "gate")
check("gate start to first 200 ≤ 0.5 s", st is not None and st <= 0.5, f"{fmt(st, 2)} s", load_of("startup"))
# issue 5, still asserted
for m in ("v2", "head", "manifest"):
    r10 = ratio(med(f"rps.{m}_c10", "gate"), med(f"rps.{m}_c10", "nginx"))
    check(f"(issue 5) {m} req/s at cost 10 ≥ 50× nginx", r10 is not None and r10 >= 50, f"{fmt(r10, 0)}×", load_of(f"rps.{m}_c10"))
    same = ratio(med(f"rps.{m}_c10", "gate"), med(f"rps.{m}_c5", "gate"))
    check(f"(issue 5) {m} req/s cost 10 = cost 5 (≥ 0.9×, noise)", same is not None and same >= 0.9, f"{fmt(same, 2)}×", load_of(f"rps.{m}_c10"))
out.append("")
out.append("| target (issue 11) | result | measured | load average |")
out.append("|---|---|---|---|")
for name, ok, detail, load in checks:
    out.append(f"| {name} | {'met' if ok else '**missed**'} | {detail} | {load} |")
text = "\n".join(out) + "\n"
open(a.out, "w").write(text)
print(text)
