// Validation speed, Hookpanel (Rust -> wasm) against Ajv 8 (JavaScript), in one plain page.
//
// For each case (a vendor's create schema and one payload as text), both sides go from the
// draft's text to its problems: Hookpanel through `validate_text` (the app's path: the text
// parsed into the last draft, schema, lint) and `validate_text_fresh` (parsed into nothing, as
// on the first keystroke), Ajv through JSON.parse and a validator compiled with allErrors (every
// problem, as the app shows them). Each figure is the median over ROUNDS rounds of ROUND_MS each; the
// two sides alternate round by round so drift on a shared machine hits both alike, and each
// ratio is the median of the rounds' own ratios (ours over the round's Ajv), with the lowest and
// highest of them beside it: how far one round's answer can be trusted.
import init, * as hp from "./hookpanel_bench_wasm.js";
import { Ajv2020, addFormats } from "./ajv.js";

const ROUNDS = 11;
const ROUND_MS = 80;
const COMPILES = 5;

let sink = 0;
const now = () => performance.now();
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

// `figures[<name>.<at>]` and its `_min` and `_max`: the rounds' ratios of ours over theirs.
function ratios(figures, name, at, ours, theirs) {
  const rs = ours.map((x, i) => x / theirs[i]);
  figures[`validate.${name}.${at}`] = median(rs);
  figures[`validate.${name}_min.${at}`] = Math.min(...rs);
  figures[`validate.${name}_max.${at}`] = Math.max(...rs);
}

function newAjv() {
  // strict off: our schemas carry the annotations x-secret and x-messages.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

// Iterations for one round of about ROUND_MS (the doubling also warms the code up).
function calibrate(fn) {
  for (let n = 1; ; n *= 2) {
    const t = now();
    for (let i = 0; i < n; i++) sink += fn();
    const dt = now() - t;
    if (dt >= 20) return Math.max(1, Math.ceil((n * ROUND_MS) / dt));
  }
}

function nsPerCall(fn, n) {
  const t = now();
  for (let i = 0; i < n; i++) sink += fn();
  return ((now() - t) * 1e6) / n;
}

// ROUNDS rounds of each side in turn (each sized by `calibrate` beforehand): the ns per call of
// every round, ours and theirs, each divided by `per` (the calls one call makes).
async function alternate(ours, nOurs, theirs, nTheirs, per = 1) {
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(nsPerCall(ours, nOurs) / per);
    await pause();
    b.push(nsPerCall(theirs, nTheirs) / per);
    await pause();
  }
  return [a, b];
}

async function run() {
  const cases = await (await fetch("./cases.json")).json();
  const large_cases = await (await fetch("./large.json")).json();
  const figures = {};
  let t = now();
  await init();
  figures["validate.hookpanel_wasm_init_ms"] = now() - t;
  t = now();
  hp.init();
  figures["validate.hookpanel_init_ms"] = now() - t;

  for (const c of cases) {
    const schema = JSON.parse(c.schema);
    // Building the validators: Ajv compiles each schema to JavaScript in the page; Hookpanel's
    // are compiled into the wasm (jsonschema's compile-time validators), so only Ajv has a figure.
    const ajvCompile = [];
    for (let i = 0; i < COMPILES; i++) {
      const ajv = newAjv();
      t = now();
      ajv.compile(schema);
      ajvCompile.push(now() - t);
      await pause();
    }
    figures[`validate.ajv_compile_ms.${c.vendor}`] = median(ajvCompile);

    t = now();
    hp.warm_up(c.vendor);
    figures[`validate.warm_up_ms.${c.vendor}`] = now() - t;
    const ajvValidate = newAjv().compile(schema);
    // The calls timed per keystroke pass the text alone into wasm, as the app's keystroke does.
    const vendor = hp.vendor_number(c.vendor);
    for (const [kind, text] of Object.entries(c.payloads)) {
      const ours = () => hp.validate_text(vendor, text);
      const theirs = () => (ajvValidate(JSON.parse(text)) ? 0 : ajvValidate.errors.length);
      const expectValid = kind === "valid";
      if ((hp.error_count(c.vendor, text) === 0) !== expectValid) {
        throw new Error(`${c.vendor} ${kind}: Hookpanel disagrees with the fixture`);
      }
      if ((theirs() === 0) !== expectValid) {
        throw new Error(`${c.vendor} ${kind}: Ajv disagrees with the fixture`);
      }
      const nOurs = calibrate(ours);
      const nTheirs = calibrate(theirs);
      const [a, b] = await alternate(ours, nOurs, theirs, nTheirs);
      const ns = median(a);
      const ajvNs = median(b);
      figures[`validate.hookpanel_ns.${c.vendor}.${kind}`] = ns;
      figures[`validate.ajv_ns.${c.vendor}.${kind}`] = ajvNs;
      ratios(figures, "ratio_vs_ajv", `${c.vendor}.${kind}`, a, b);
      figures[`validate.problems.${c.vendor}.${kind}`] = ours();

      // The same text parsed fresh, as a text unlike the last draft is (in the app, a different
      // draft pasted whole): above, as in the raw view, each text is parsed into the last draft.
      const fresh = () => hp.validate_text_fresh(vendor, text);
      if (fresh() !== ours()) {
        throw new Error(`${c.vendor} ${kind}: a fresh parse gives other problems`);
      }
      const nFresh = calibrate(fresh);
      const [fr, fj] = await alternate(fresh, nFresh, theirs, nTheirs);
      figures[`validate.fresh_ns.${c.vendor}.${kind}`] = median(fr);
      ratios(figures, "fresh_ratio_vs_ajv", `${c.vendor}.${kind}`, fr, fj);

      // Where the time goes: parsing alone on each side, and our checks on a parsed draft.
      hp.prepare(text);
      const shares = {
        hookpanel_parse_ns: () => hp.parse_only(text),
        hookpanel_parse_fresh_ns: () => hp.parse_fresh(text),
        hookpanel_checks_ns: () => hp.validate_prepared(vendor),
        json_parse_ns: () => (JSON.parse(text) ? 1 : 0),
      };
      for (const [name, fn] of Object.entries(shares)) {
        const n = calibrate(fn);
        const xs = [];
        for (let r = 0; r < 3; r++) {
          xs.push(nsPerCall(fn, n));
          await pause();
        }
        figures[`validate.${name}.${c.vendor}.${kind}`] = median(xs);
      }
      figures[`validate.ajv_errors.${c.vendor}.${kind}`] = theirs();

      // A form keystroke: the draft is parsed already. Ours runs K checks inside wasm per call
      // (the app's form calls Rust from Rust: no crossing into JavaScript per check); Ajv's
      // validate runs on the parsed object, the same K times per call.
      const K = 64;
      const object = JSON.parse(text);
      const formOurs = () => hp.form_keystrokes(c.vendor, K);
      const formTheirs = () => {
        let n = 0;
        for (let i = 0; i < K; i++) n += ajvValidate(object) ? 0 : ajvValidate.errors.length;
        return n;
      };
      const nFormOurs = calibrate(formOurs);
      const nFormTheirs = calibrate(formTheirs);
      const [fa, fb] = await alternate(formOurs, nFormOurs, formTheirs, nFormTheirs, K);
      figures[`validate.form_ns.${c.vendor}.${kind}`] = median(fa);
      figures[`validate.ajv_validate_ns.${c.vendor}.${kind}`] = median(fb);
      ratios(figures, "form_ratio_vs_ajv", `${c.vendor}.${kind}`, fa, fb);
    }
  }
  // Drafts of real sizes (issue 11): a keystroke in the raw view must stay within a frame.
  for (const [name, large] of Object.entries(large_cases)) {
    const fn = () => hp.keystroke(large.vendor, large.text);
    // The first keystroke on the draft (nothing of it seen before).
    t = now();
    sink += fn();
    figures[`validate.large_first_ms.${name}`] = now() - t;
    const xs = [];
    for (let r = 0; r < 9; r++) {
      t = now();
      sink += fn();
      xs.push(now() - t);
      await pause();
    }
    figures[`validate.large_ms.${name}`] = median(xs);
    figures[`validate.large_problems.${name}`] = fn();
    figures[`validate.large_bytes.${name}`] = large.text.length;
  }
  figures["validate.sink"] = sink % 1000;
  return figures;
}

setTimeout(async () => {
  const out = document.getElementById("out");
  try {
    const figures = await run();
    window.__benchResult = { figures };
    out.textContent = Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n");
  } catch (e) {
    window.__benchResult = { error: String(e && e.stack ? e.stack : e) };
    out.textContent = window.__benchResult.error;
  }
}, 0);
