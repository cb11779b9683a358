// What `rollback-to` names, decided without I/O: the known-good tag, a pre-deploy tag of this
// environment, or a commit SHA.
import { knownGoodRef } from './tag-names.ts';

export type TargetSpec =
  | { kind: 'tag'; ref: string; knownGood: boolean }
  | { kind: 'sha'; sha: string }
  | { kind: 'invalid'; reason: string };

export function parseRollbackTarget(text: string, prefix: string, env: string): TargetSpec {
  const goodRef = knownGoodRef(prefix, env);
  const value = text.trim().replace(/^refs\//, '').replace(/^tags\//, '');
  if (!value) return { kind: 'tag', ref: goodRef, knownGood: true };
  if (/^[0-9a-f]{40}$/i.test(value)) return { kind: 'sha', sha: value.toLowerCase() };
  if (/^[0-9a-f]{4,39}$/i.test(value)) {
    return { kind: 'invalid', reason: `"${text}" looks like a short SHA; give the full 40-character commit SHA` };
  }
  if (!value.startsWith(`${prefix}/`)) {
    return { kind: 'invalid', reason: `"${text}" is neither a full commit SHA nor a tag under ${prefix}/${env}/` };
  }
  const rest = value.slice(prefix.length + 1);
  const [tagEnv, ...name] = rest.split('/');
  if (tagEnv !== env) return { kind: 'invalid', reason: `"${text}" is a tag of environment "${tagEnv}", not of ${env}` };
  if (name.length !== 1 || !/^(known-good|deploy-\d+-\d+)$/.test(name[0]!)) {
    return { kind: 'invalid', reason: `"${text}" is not a deploy-guard tag; use ${prefix}/${env}/known-good or ${prefix}/${env}/deploy-<run>-<attempt>` };
  }
  const ref = `tags/${value}`;
  return { kind: 'tag', ref, knownGood: ref === goodRef };
}

/** Roles that may roll back by hand: write access or more. */
export function mayRollBack(roleName: string | undefined): boolean {
  return roleName === 'admin' || roleName === 'maintain' || roleName === 'write';
}
