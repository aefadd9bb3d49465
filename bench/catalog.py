#!/usr/bin/env python3
"""Web catalog and filtered _catalog benchmark (issue 13): a real docker-registry with 1,000 repositories and one
repository of 200 tags, the gate (target/portcullis.jar) in front with access rules, every page timed through the
gate over HTTPS on loopback. Not a test: it prints a table and writes bench/results/catalog.md.

    bench/catalog.py [--repos 1000] [--tags 200] [--runs 7] [--warmup 40]

Each page is timed twice: just after the gate started (a cold first request, then --runs more), and again once
every page was loaded --warmup more times (untimed, past the tag cache each time). The second is what users of a
running gate see: until the JIT has compiled the per-tag path (some thousands of tag rows), a 200-tag page costs
the gate about twice the CPU.

Needs docker-registry, htpasswd, java and a built jar (mvn -o -q package -DskipTests). Everything it starts is
stopped on exit; only 127.0.0.1 is used; every wait is bounded.
"""
import argparse, base64, hashlib, json, os, re, shutil, socket, ssl, statistics, subprocess, sys, tempfile, time
import urllib.request, urllib.error

ap = argparse.ArgumentParser()
ap.add_argument("--repos", type=int, default=1000)
ap.add_argument("--tags", type=int, default=200)
ap.add_argument("--runs", type=int, default=7)
ap.add_argument("--warmup", type=int, default=40)
ap.add_argument("--out", default="bench/results/catalog.md")
a = ap.parse_args()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.environ.get("GATE_JAR", os.path.join(ROOT, "target", "portcullis.jar"))  # another build, for an A/B run
if not os.path.exists(JAR):
    sys.exit("bench/catalog.py: build the jar first: mvn -B -o -q package -DskipTests")
work = tempfile.mkdtemp(prefix="portcullis-catalog-bench-")
# the image's JVM flags (Dockerfile JAVA_OPTS without the CDS archive), so the pages are timed as shipped
with open(os.path.join(ROOT, "Dockerfile")) as dockerfile:
    IMAGE_FLAGS = re.search(r'^ARG JVM_FLAGS="(.*)"$', dockerfile.read(), re.M).group(1)
GATE_OPTS = os.environ.get("GATE_JAVA_OPTS", IMAGE_FLAGS).split()
procs = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, ctx=None, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, context=ctx, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # answered (401 counts)
        except OSError:
            time.sleep(0.2)
    sys.exit("bench/catalog.py: %s did not answer in %ss" % (url, seconds))


def req(method, url, body=None, headers=None, ctx=None):
    r = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(r, context=ctx, timeout=60) as resp:
        return resp.status, resp.read(), resp.headers


try:
    # ---- registry ----
    rport = free_port()
    reg = "http://127.0.0.1:%d" % rport
    with open(os.path.join(work, "registry.yml"), "w") as f:
        f.write("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n"
                "    rootdirectory: %s/storage\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:%d\n" % (work, rport))
    procs.append(subprocess.Popen(["docker-registry", "serve", os.path.join(work, "registry.yml")],
                                  stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "registry.log"), "w")))
    wait_for(reg + "/v2/")

    # ---- content: one config and one layer, mounted into every repository; distinct manifests by annotation ----
    def blob(repo, data):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        st, _, h = req("POST", "%s/v2/%s/blobs/uploads/" % (reg, repo))
        loc = h["Location"]
        loc = loc if loc.startswith("http") else reg + loc
        req("PUT", loc + ("&" if "?" in loc else "?") + "digest=" + digest, data,
            {"Content-Type": "application/octet-stream"})
        return digest

    config = json.dumps({"architecture": "amd64", "os": "linux", "created": "2026-12-01T00:00:00Z",
                         "config": {"Cmd": ["/bin/sh"], "Labels": {"bench": "yes"}},
                         "rootfs": {"type": "layers", "diff_ids": []}, "history": []}).encode()
    layer = os.urandom(4096)
    cfg_d = blob("bench/base", config)
    lay_d = blob("bench/base", layer)

    def manifest(repo, tag, note):
        m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_d, "size": len(config)},
                        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": lay_d, "size": len(layer)}],
                        "annotations": {"note": note}}).encode()
        req("PUT", "%s/v2/%s/manifests/%s" % (reg, repo, tag), m, {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})

    def mount(repo):
        for d in (cfg_d, lay_d):
            req("POST", "%s/v2/%s/blobs/uploads/?mount=%s&from=bench/base" % (reg, repo, d))

    t0 = time.time()
    for i in range(a.repos):
        repo = "team-%s/app-%04d" % ("a" if i % 2 == 0 else "b", i)
        mount(repo)
        manifest(repo, "1", repo)
    mount("team-a/big")
    for t in range(a.tags):
        manifest("team-a/big", "v%03d" % t, "tag %d" % t)
    print("populated %d repositories and %d tags in %.1fs" % (a.repos, a.tags, time.time() - t0))

    # ---- gate ----
    subprocess.run(["java", "-jar", JAR, "gen-cert", "--out-dir", os.path.join(work, "ssl"), "--host", "127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    crt = [os.path.join(work, "ssl", f) for f in sorted(os.listdir(os.path.join(work, "ssl")))]
    cert = next(f for f in crt if f.endswith(".crt") and "ca" not in os.path.basename(f))
    key = next(f for f in crt if f.endswith(".key") and "ca" not in os.path.basename(f))
    ht = subprocess.run(["htpasswd", "-nbB", "-C", "5", "bench", "bench-pw"], check=True, capture_output=True, text=True).stdout
    with open(os.path.join(work, "htpasswd"), "w") as f:
        f.write(ht)
    with open(os.path.join(work, "access.conf"), "w") as f:
        f.write("allow bench pull team-a/**\n")  # half of the repositories are filtered out
    gport = free_port()
    gate = "https://127.0.0.1:%d" % gport
    procs.append(subprocess.Popen(["java"] + GATE_OPTS + ["-jar", JAR, "serve", "--listen", "127.0.0.1:%d" % gport,
                                   "--upstream", reg, "--cert", cert, "--key", key, "--htpasswd", os.path.join(work, "htpasswd"),
                                   "--access", os.path.join(work, "access.conf"), "--log-level", "warn"],
                                  stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "gate.log"), "w")))
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    wait_for(gate + "/v2/", ctx)
    auth = {"Authorization": "Basic " + base64.b64encode(b"bench:bench-pw").decode()}

    pages = [
        ("/ui/ (first 50 visible of %d)" % a.repos, "/ui/"),
        ("/ui/?last=… (a page in the middle)", "/ui/?last=team-a%2Fapp-0500"),
        ("/ui/?q=app-09 (filter box)", "/ui/?q=app-09"),
        ("/v2/_catalog?n=100 (filtered API)", "/v2/_catalog?n=100"),
        ("/v2/_catalog (filtered, all %d visible)" % (a.repos // 2 + 1), "/v2/_catalog"),
        ("/ui/repository?name=team-a/big (%d tags)" % a.tags, "/ui/repository?name=team-a%2Fbig"),
        ("/ui/image?name=team-a/big&ref=v100", "/ui/image?name=team-a%2Fbig&ref=v100"),
    ]
    rows = []
    # baseline: what the registry alone needs for the tag page's reads (tag list + one manifest GET per tag, 16 at once)
    from concurrent.futures import ThreadPoolExecutor
    accept = {"Accept": "application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json"}
    with ThreadPoolExecutor(16) as pool:
        times = []
        for run in range(a.runs):
            t = time.perf_counter()
            tags = json.loads(req("GET", "%s/v2/team-a/big/tags/list" % reg)[1])["tags"]
            list(pool.map(lambda tag: req("GET", "%s/v2/team-a/big/manifests/%s" % (reg, tag), headers=accept), tags))
            times.append((time.perf_counter() - t) * 1000)
    rows.append(("registry alone: tags/list + %d manifest GETs, 16 at once (baseline, not through the gate)" % a.tags,
                 times[0], statistics.median(times[1:]), None, max(times[1:])))
    loads = [os.getloadavg()[0]]

    def timed(path, runs):
        times = []
        for run in range(runs):
            if run > 0 and "repository" in path:
                time.sleep(3.1)  # past the tag-list cache: every timed run re-reads the tags and resolves each tag
            t = time.perf_counter()
            st, body, _ = req("GET", gate + path, headers=auth, ctx=ctx)
            times.append((time.perf_counter() - t) * 1000)
            assert st == 200, (path, st)
        loads.append(os.getloadavg()[0])
        return times

    started = {path: timed(path, a.runs + 1) for _, path in pages}
    for cycle in range(a.warmup):
        time.sleep(3.1)
        for _, path in pages:
            req("GET", gate + path, headers=auth, ctx=ctx)
    for label, path in pages:
        just, warm = started[path], timed(path, a.runs + 1)[1:]
        rows.append((label, just[0], statistics.median(just[1:]), statistics.median(warm), max(warm)))
    nproc = os.cpu_count()
    load = "%.1f-%.1f (median %.1f)" % (min(loads), max(loads), statistics.median(loads))
    lines = ["# Web catalog through the gate (issue 13)", "",
             ("%d repositories (half visible to the user), one repository of %d tags; docker-registry on loopback, "
             "the gate with `%s`, %d CPUs. Medians of %d runs: just after the start (after a cold first request), and "
             "warm (after %d more loads of every page). Target: every page <= 300 ms. "
             "Tag pages are timed after the 3 s tag cache expired (tag list and tag resolutions re-asked; manifests and "
             "configs from the digest cache). Load average (1 min) while timing: %s.") % (a.repos, a.tags, " ".join(GATE_OPTS), nproc, a.runs, a.warmup, load), "",
             "| page | first (cold) ms | median just started, ms | median warm, ms | max warm, ms |", "|---|---:|---:|---:|---:|"]
    for label, cold, just, warm, mx in rows:
        lines.append("| %s | %.0f | %.0f | %s | %.0f |" % (label, cold, just, "-" if warm is None else "%.0f" % warm, mx))
    out = "\n".join(lines) + "\n"
    print(out)
    os.makedirs(os.path.dirname(os.path.join(ROOT, a.out)), exist_ok=True)
    with open(os.path.join(ROOT, a.out), "w") as f:
        f.write(out)
finally:
    for p in reversed(procs):
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    shutil.rmtree(work, ignore_errors=True)
