import { ConfigError } from "@tradeloom/types";
import type { JsonValue } from "./json";

/**
 * A JSON document that keeps what `JSON.parse` loses: key order and the exact text of every number and string
 * (`20.0` stays `20.0`). Edits replace nodes; untouched nodes are written back byte for byte.
 */
export type RawNode =
  | { readonly kind: "object"; readonly entries: [key: string, value: RawNode][] }
  | { readonly kind: "array"; readonly items: RawNode[] }
  | { readonly kind: "scalar"; readonly text: string };

/**
 * Parses JSON text into a {@link RawNode}.
 * @throws ConfigError with the offset of the first syntax error.
 */
export function parseRawJson(text: string, source?: string): RawNode {
  let i = 0;
  const fail = (what: string): never => {
    throw new ConfigError(`not valid JSON at offset ${i}: ${what}`, { file: source, offset: i });
  };
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("unterminated string");
    i++;
    return text.slice(start, i);
  };
  const value = (): RawNode => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const entries: [string, RawNode][] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { kind: "object", entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const key = JSON.parse(str()) as string;
        ws();
        if (text[i++] !== ":") fail("expected ':'");
        entries.push([key, value()]);
        ws();
        const d = text[i++];
        if (d === "}") return { kind: "object", entries };
        if (d !== ",") fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const items: RawNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "array", items };
      }
      for (;;) {
        items.push(value());
        ws();
        const d = text[i++];
        if (d === "]") return { kind: "array", items };
        if (d !== ",") fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { kind: "scalar", text: str() };
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return fail("unexpected character");
    i += m[0].length;
    return { kind: "scalar", text: m[0] };
  };
  const root = value();
  ws();
  if (i < text.length) fail("text after the document");
  return root;
}

/** Writes a document as `JSON.stringify(value, null, 2)` would, with the original scalar texts. */
export function stringifyRawJson(node: RawNode, indent = ""): string {
  if (node.kind === "scalar") return node.text;
  const inner = `${indent}  `;
  if (node.kind === "array") {
    if (node.items.length === 0) return "[]";
    return `[\n${node.items.map((n) => inner + stringifyRawJson(n, inner)).join(",\n")}\n${indent}]`;
  }
  if (node.entries.length === 0) return "{}";
  return `{\n${node.entries.map(([k, n]) => `${inner}${JSON.stringify(k)}: ${stringifyRawJson(n, inner)}`).join(",\n")}\n${indent}}`;
}

/** A node for a new value: numbers as JavaScript prints them (`15`, `0.025`); non-finite numbers become null. */
export function rawFromValue(value: JsonValue): RawNode {
  return parseRawJson(JSON.stringify(value));
}

/** The member `key` of an object node, if any. */
export function member(node: RawNode | undefined, key: string): RawNode | undefined {
  return node?.kind === "object" ? node.entries.find(([k]) => k === key)?.[1] : undefined;
}

/** Sets `key` in an object node: replaces the value in place, or appends the member at the end. */
export function setMember(node: RawNode, key: string, value: RawNode): void {
  if (node.kind !== "object") return;
  const e = node.entries.find(([k]) => k === key);
  if (e) e[1] = value;
  else node.entries.push([key, value]);
}

/** The plain value of a node. */
export function valueOf(node: RawNode): JsonValue {
  return JSON.parse(stringifyRawJson(node)) as JsonValue;
}
