import { describe, expect, it } from "vitest";
import {
  byteLength,
  derivedName,
  MAX_IDENTIFIER_BYTES,
  NameAllocator,
  needsQuoting,
  shortenIdentifier,
} from "../src/index.js";

describe("shortenIdentifier", () => {
  it("keeps names of up to 63 bytes", () => {
    const name = "a".repeat(63);
    expect(shortenIdentifier(name)).toBe(name);
  });
  it("shortens a 70-byte name to 63 bytes, deterministically", () => {
    const name = `a_${"x".repeat(66)}_z`;
    const short = shortenIdentifier(name);
    expect(byteLength(short)).toBe(MAX_IDENTIFIER_BYTES);
    expect(short).toBe(shortenIdentifier(name));
    expect(short).toMatch(/^a_x+_[0-9a-f]{8}$/);
  });
  it("keeps apart two names equal in their first 63 bytes", () => {
    const base = "s".repeat(63);
    expect(shortenIdentifier(`${base}_first`)).not.toBe(shortenIdentifier(`${base}_second`));
  });
  it("never splits a multi-byte character", () => {
    const short = shortenIdentifier("é".repeat(40));
    expect(byteLength(short)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
    expect(short.startsWith("é".repeat(27))).toBe(true);
    expect(short).not.toContain("\uFFFD");
  });
});

describe("derived names", () => {
  it("follow PostgreSQL's convention", () => {
    expect(derivedName("accounts", [], "pkey")).toBe("accounts_pkey");
    expect(derivedName("locations", ["account_id"], "fkey")).toBe("locations_account_id_fkey");
    expect(derivedName("accounts", ["owner_id", "name"], "key")).toBe("accounts_owner_id_name_key");
  });
  it("never collide inside a schema", () => {
    const names = new NameAllocator();
    names.reserve("a_b_c_key");
    const first = names.allocate("a_b", ["c"], "key");
    const second = names.allocate("a", ["b_c"], "key");
    expect(new Set(["a_b_c_key", first, second]).size).toBe(3);
    // Same inputs, same names, in a fresh allocator.
    const again = new NameAllocator();
    again.reserve("a_b_c_key");
    expect([again.allocate("a_b", ["c"], "key"), again.allocate("a", ["b_c"], "key")]).toEqual([first, second]);
  });
});

describe("needsQuoting", () => {
  it("quotes reserved words and anything not lower-case snake", () => {
    for (const name of ["order", "user", "group", "select", "table", "Name", "a b", "1abc"])
      expect(needsQuoting(name), name).toBe(true);
    for (const name of ["accounts", "name", "type", "status", "_x", "a1"]) expect(needsQuoting(name), name).toBe(false);
  });
});
