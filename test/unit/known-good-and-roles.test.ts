import { describe, expect, it } from 'vitest';
import { chooseKnownGood, tagBehindNote } from '../../src/core/known-good.ts';
import { workflowsRefusalText } from '../../src/report/permission-text.ts';
import { baseRole } from '../../src/core/repository-role.ts';
import { refusedForWorkflows } from '../../src/github/tags.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('which version is known-good', () => {
  it('is the newest deployment that passed its window, even when the tag says otherwise', () => {
    expect(chooseKnownGood(A, { id: 7, sha: B })).toEqual({ sha: B, source: 'deployment', tagBehind: true, provenBy: 7 });
  });
  it('agrees with the tag when the tag kept up', () => {
    expect(chooseKnownGood(B, { id: 7, sha: B })).toMatchObject({ sha: B, tagBehind: false });
  });
  it('catches a missing tag up to the deployments', () => {
    expect(chooseKnownGood(undefined, { id: 7, sha: B })).toMatchObject({ sha: B, tagBehind: true });
  });
  it('is the tag alone when no deployment passed a window (a tag made by hand before the first deploy)', () => {
    expect(chooseKnownGood(A, undefined)).toEqual({ sha: A, source: 'tag', tagBehind: false });
  });
  it('is nothing with neither', () => {
    expect(chooseKnownGood(undefined, undefined)).toEqual({ sha: undefined, source: 'none', tagBehind: false });
  });
  it('says in the log where the tag is and which deployment proved the version', () => {
    const note = tagBehindNote('tags/deploy-guard/production/known-good', A, chooseKnownGood(A, { id: 7, sha: B }));
    expect(note).toContain('points at aaaaaaa');
    expect(note).toContain('deployment 7 of bbbbbbb');
  });
});

describe('the workflows-permission refusal', () => {
  const refusal = Object.assign(new Error('Resource not accessible by integration'), {
    status: 403,
    response: { headers: { 'x-accepted-github-permissions': 'contents=write; contents=write,workflows=write' } },
  });
  it('is recognised through the wrapping error that names the route', () => {
    expect(refusedForWorkflows(new Error('GitHub API POST /git/refs failed (403)', { cause: refusal }))).toBe(true);
  });
  it('is not a 403 for another permission', () => {
    const other = Object.assign(new Error('Resource not accessible by integration'), {
      status: 403,
      response: { headers: { 'x-accepted-github-permissions': 'contents=write' } },
    });
    expect(refusedForWorkflows(other)).toBe(false);
    expect(refusedForWorkflows(Object.assign(new Error('Server Error'), { status: 500 }))).toBe(false);
  });
  it('advises only tokens that can have the permission, never GITHUB_TOKEN under permissions:', () => {
    const text = workflowsRefusalText('tags/deploy-guard/production/known-good', A);
    expect(text).toContain('GitHub App installation token');
    expect(text).toContain('fine-grained personal access token');
    expect(text).toMatch(/GITHUB_TOKEN can never have this permission/);
    expect(text).not.toMatch(/workflows: write\s+under permissions/i);
  });
});

describe('the base role of a collaborator', () => {
  it('is the role name when it is a base role', () => {
    expect(baseRole({ permission: 'write', role_name: 'maintain' })).toBe('maintain');
  });
  it('is the base a custom role includes, from the permissions hash', () => {
    const user = { permissions: { admin: false, maintain: true, push: true, triage: true, pull: true } };
    expect(baseRole({ permission: 'write', role_name: 'release-manager', user })).toBe('maintain');
  });
  it('falls back to the legacy permission for a custom role without a hash', () => {
    expect(baseRole({ permission: 'read', role_name: 'auditor' })).toBe('read');
    expect(baseRole({ permission: 'write', role_name: 'deployer', user: null })).toBe('write');
  });
  it('is none for permission none', () => {
    expect(baseRole({ permission: 'none', role_name: 'none' })).toBeUndefined();
  });
});
