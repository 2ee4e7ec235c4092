// What the bench page needs from npm, bundled by esbuild into build/ajv.js (one ES module).
// Ajv for draft 2020-12 is the class in ajv/dist/2020; ajv-formats adds "uri", "email", ...
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export { Ajv2020, addFormats };
