/**
 * What the seed reads from a table's CHECKs (the model's entity checks, as PostgreSQL's deparser
 * writes them): bounds on one column (`year BETWEEN 1901 AND 2155`, `amount >= 0`, `length > 0`)
 * and an order between two (`end_date > start_date`). A check made of anything else is not read;
 * `uncheckedBy` names it, so the seed can say its rows may not satisfy it.
 */
import type { CheckConstraint, Column, ColumnRules, Table } from "@dbgen/schema-core";

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const IDENT = "[a-z_][a-z0-9_]*";
const BETWEEN = new RegExp(`^(${IDENT}) BETWEEN (${NUMBER}) AND (${NUMBER})$`);
const BOUND = new RegExp(`^(${IDENT}) (>=|>|<=|<) (${NUMBER})$`);
const ORDER = new RegExp(`^(${IDENT}) (>=|>|<=|<) (${IDENT})$`);

/** An order two columns of a row keep: `greater` is above (or, when `strict` is false, at least) `lesser`. */
export interface ColumnOrder {
  readonly greater: string;
  readonly lesser: string;
}

interface ReadCheck {
  readonly bounds: Map<string, ColumnRules>;
  readonly orders: ColumnOrder[];
}

/** The terms of a conjunction, BETWEEN's own AND kept whole; undefined for anything with OR, NOT or parentheses. */
function terms(expression: string): string[] | undefined {
  if (/[()]|\bOR\b|\bNOT\b/.test(expression)) return undefined;
  const protectedText = expression.replace(new RegExp(`BETWEEN (${NUMBER}) AND`, "g"), "BETWEEN $1 &&");
  return protectedText.split(" AND ").map((t) => t.replace(" && ", " AND ").trim());
}

function readCheck(check: CheckConstraint, isInteger: (column: string) => boolean): ReadCheck | undefined {
  const parts = terms(check.expression);
  if (!parts) return undefined;
  const bounds = new Map<string, ColumnRules>();
  const orders: ColumnOrder[] = [];
  const bound = (column: string, rule: ColumnRules) => bounds.set(column, { ...bounds.get(column), ...rule });
  for (const part of parts) {
    const between = BETWEEN.exec(part);
    const one = BOUND.exec(part);
    const order = ORDER.exec(part);
    if (between) bound(between[1] ?? "", { min: Number(between[2]), max: Number(between[3]) });
    else if (one) {
      const [column = "", op, text] = [one[1], one[2], one[3]];
      const step = isInteger(column) ? 1 : 0.01;
      const value = Number(text);
      if (op === ">=") bound(column, { min: value });
      else if (op === ">") bound(column, { min: value + step });
      else if (op === "<=") bound(column, { max: value });
      else bound(column, { max: value - step });
    } else if (order) {
      const [a = "", op = "", b = ""] = [order[1], order[2], order[3]];
      orders.push(op.startsWith(">") ? { greater: a, lesser: b } : { greater: b, lesser: a });
    } else return undefined;
  }
  return { bounds, orders };
}

const INTEGER_TYPES = new Set(["smallint", "integer", "bigint"]);

/** The table with the bounds its checks give laid onto its columns' rules (the tighter bound wins). */
export function withCheckBounds(t: Table): { table: Table; orders: ColumnOrder[]; unread: string[] } {
  const isInteger = (name: string) => INTEGER_TYPES.has(t.columns.find((c) => c.name === name)?.type.name ?? "");
  const orders: ColumnOrder[] = [];
  const unread: string[] = [];
  const bounds = new Map<string, ColumnRules>();
  for (const check of t.checks) {
    const read = readCheck(check, isInteger);
    if (!read) {
      unread.push(check.name);
      continue;
    }
    orders.push(...read.orders);
    for (const [column, rule] of read.bounds) bounds.set(column, tighter(bounds.get(column), rule));
  }
  const columns = t.columns.map((c): Column => {
    const rule = bounds.get(c.name);
    return rule ? { ...c, rules: tighter(c.rules, rule) } : c;
  });
  return { table: { ...t, columns }, orders, unread };
}

function tighter(a: ColumnRules | undefined, b: ColumnRules): ColumnRules {
  const min = [a?.min, b.min].filter((x): x is number => x !== undefined);
  const max = [a?.max, b.max].filter((x): x is number => x !== undefined);
  return {
    ...a,
    ...(min.length ? { min: Math.max(...min) } : {}),
    ...(max.length ? { max: Math.min(...max) } : {}),
  };
}
