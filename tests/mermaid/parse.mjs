// Usage: node parse.mjs FILE...   Exits 0 when Mermaid parses every file.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

// Mermaid expects a browser; give it a minimal one.
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const key of ["Element", "HTMLElement", "SVGElement", "Node", "DOMParser", "navigator"]) {
  if (!(key in globalThis)) {
    Object.defineProperty(globalThis, key, { value: dom.window[key], configurable: true });
  }
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  try {
    const result = await mermaid.parse(text);
    console.log(`ok ${file}: ${result.diagramType}`);
  } catch (e) {
    failed += 1;
    console.log(`error ${file}: ${e.message ?? e}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
