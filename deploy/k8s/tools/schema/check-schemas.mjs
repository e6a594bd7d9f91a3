// Checks Kubernetes objects (a JSON array, as validate.py writes it) against the API's schemas:
// kubernetes-models validates types, required fields and formats; the model descriptions of
// @kubernetes/client-node name every field an object may have, so a misspelt or misplaced
// field (which the API server would drop or refuse) is reported too.
// Usage: node check-schemas.mjs rendered.json [label]   — exits 1 when any object is invalid.
import { readFileSync } from "node:fs";
import * as models from "@kubernetes/client-node/dist/gen/models/all.js";

const [file, label = file] = process.argv.slice(2);
const objects = JSON.parse(readFileSync(file, "utf8"));
const problems = [];
let checked = 0;
const skipped = new Set();

for (const obj of objects) {
  const where = `${label}: ${obj.kind}/${obj.metadata?.name}`;
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  // client-node names its models after the API version and kind: apps/v1 Deployment is V1Deployment.
  const modelClass = models[`V${version.slice(1)}${obj.kind}`];
  const modulePath = group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
  let validator;
  try {
    validator = (await import(modulePath))[obj.kind];
  } catch {
    validator = undefined;
  }
  if (!validator || !modelClass) {
    skipped.add(`${obj.apiVersion} ${obj.kind}`);
    continue;
  }
  checked++;
  if (obj.kind === "Secret" && obj.data) {
    // kustomize folds long base64 values over several lines; the API server's decoder skips
    // the line breaks, so the schema's "byte" format is checked without them.
    for (const key of Object.keys(obj.data)) obj.data[key] = obj.data[key].replace(/\s+/g, "");
  }
  try {
    new validator(obj).validate();
  } catch (e) {
    for (const err of e.errors ?? [{ instancePath: "", message: e.message }]) {
      problems.push(`${where}: ${err.instancePath || "/"} ${err.message}`);
    }
  }
  unknownFields(obj, modelClass, "", where);
}

// Walks the object along the model's attribute map; reports fields the model does not have.
function unknownFields(value, modelClass, path, where) {
  if (value === null || value === undefined || typeof value !== "object") return;
  const attributes = modelClass.getAttributeTypeMap();
  const byName = new Map(attributes.map((a) => [a.baseName, a.type]));
  for (const [key, child] of Object.entries(value)) {
    if (!byName.has(key)) {
      problems.push(`${where}: ${path}/${key} is not a field of ${modelClass.name}`);
      continue;
    }
    descend(child, byName.get(key), `${path}/${key}`, where);
  }
}

function descend(value, type, path, where) {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => descend(item, array[1], `${path}/${i}`, where));
    return;
  }
  const nested = models[type];
  if (nested && typeof nested.getAttributeTypeMap === "function") {
    unknownFields(value, nested, path, where);
  }
}

for (const kind of skipped) console.log(`  (${label}: ${kind} is not a core Kubernetes kind; its schema is not checked here)`);
if (problems.length) {
  for (const p of problems) console.log(`FAIL ${p}`);
  process.exit(1);
}
console.log(`  ${label}: ${checked} objects match the Kubernetes API schemas`);
