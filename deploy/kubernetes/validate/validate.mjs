// Validates every document of every *.yaml in a directory against the Kubernetes JSON schemas that
// the npm package kubernetes-models bundles (generated from the Kubernetes OpenAPI spec): required
// fields, types, enums and formats of each object. It does not flag unknown fields (those schemas allow
// additional properties); the JUnit test KubernetesManifestsTest checks the fields that matter to us.
//
//   npm ci && node validate.mjs DIR      exit 0 when all documents are valid
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const dir = process.argv[2] ?? "..";
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
let errors = 0, checked = 0;
if (files.length === 0) { console.error(`no *.yaml in ${dir}`); process.exit(2); }

for (const file of files) {
  const docs = parseAllDocuments(readFileSync(join(dir, file), "utf8"));
  for (const [i, doc] of docs.entries()) {
    const where = `${file}#${i + 1}`;
    if (doc.errors.length) { errors++; console.log(`FAIL ${where}: YAML: ${doc.errors[0].message}`); continue; }
    const obj = doc.toJS();
    if (obj == null) continue;
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      errors++; console.log(`FAIL ${where}: apiVersion and kind are required`); continue;
    }
    let Model;
    try {
      Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
    } catch {
      errors++; console.log(`FAIL ${where}: no schema for ${apiVersion} ${kind} (unknown kind or API version)`); continue;
    }
    try {
      new Model(obj).validate();
      checked++;
      console.log(`ok   ${where}: ${apiVersion} ${kind} ${obj.metadata?.name}`);
    } catch (e) {
      errors++; console.log(`FAIL ${where}: ${apiVersion} ${kind} ${obj.metadata?.name}: ${e.message}`);
    }
  }
}
console.log(`kubernetes schema validation: ${checked} valid, ${errors} invalid`);
process.exit(errors ? 1 : 0);
