// Ajv's verdict on every fixture, for crates/core/tests/fixtures.rs: jsonschema must agree with
// it. Writes crates/core/tests/reference/ajv-verdicts.json (`npm run verdicts`). Ajv 8's draft
// 2020-12 class with ajv-formats, allErrors, strict off for our annotations (x-secret,
// x-messages, x-role), exactly as the bench page and the CLI bench configure it.
import { readFileSync, readdirSync, writeFileSync, existsSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const schemas = join(root, "schemas");
const out = join(root, "crates/core/tests/reference/ajv-verdicts.json");

// FNV-1a, 64 bits, as hex: the same few lines as in crates/core/tests/reference/ajv.rs.
function digest(bytes) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

const fixtures = {};
for (const vendor of readdirSync(schemas).sort()) {
  if (!statSync(join(schemas, vendor)).isDirectory()) continue;
  for (const operation of ["create", "modify", "event"]) {
    const schemaFile = join(schemas, vendor, `${operation}.json`);
    if (!existsSync(schemaFile)) continue;
    const schemaBytes = readFileSync(schemaFile);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(schemaBytes.toString("utf8")));
    const dir = join(schemas, vendor, "fixtures", operation);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const fixtureBytes = readFileSync(join(dir, file));
      const fixture = JSON.parse(fixtureBytes.toString("utf8"));
      const name = `${vendor}/${operation}/${file.slice(0, -".json".length)}`;
      fixtures[name] = {
        digest: digest(Buffer.concat([schemaBytes, Buffer.from([0]), fixtureBytes])),
        valid: validate(fixture.instance),
      };
    }
  }
}
const text = JSON.stringify(
  { written_by: "bench/src/verdicts.js (npm run verdicts), Ajv 8 draft 2020-12 with ajv-formats", fixtures },
  null,
  1,
);
writeFileSync(out, text + "\n");
console.error(`${Object.keys(fixtures).length} verdicts written to ${out}`);
