/**
 * "Did you mean …?" for an unknown name: the closest known one by edit distance (fastest-levenshtein),
 * when it is close enough to be a typo rather than another name.
 */
import { distance } from "fastest-levenshtein";

/** The candidate `name` most likely meant, or undefined when none is near. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    // A difference of case alone is the likeliest slip of all.
    const score = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (best === undefined || score < best.score) best = { candidate, score };
  }
  // One edit for a short name; two (a swapped pair of letters) or a third of a longer one.
  const limit = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
  return best !== undefined && best.score <= limit ? best.candidate : undefined;
}

/** `fix`, led by "did you mean "X"?" when a candidate is near `name`. */
export function suggestFix(name: string, candidates: Iterable<string>, fix: string): string {
  const near = closestName(name, candidates);
  return near === undefined ? fix : `did you mean "${near}"? Otherwise ${fix}`;
}
