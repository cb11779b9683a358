
// src/core/outcome.ts
function stepResult(outcome, knownGoodSha) {
  const outputs = { result: resultName(outcome) };
  if (knownGoodSha) outputs["known-good-sha"] = knownGoodSha;
  switch (outcome.kind) {
    case "deployed":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      if (outcome.promoted) outputs["known-good-sha"] = outcome.sha;
      return { outputs, exitCode: 0 };
    case "unhealthy":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      return { outputs, exitCode: 1 };
    case "rolled-back":
    case "rollback-failed":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      outputs["known-good-sha"] = outcome.knownGoodSha;
      setIncident(outputs, outcome.incident);
      return { outputs, exitCode: 1 };
    case "no-rollback-target":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      setIncident(outputs, outcome.incident);
      return { outputs, exitCode: 1 };
    case "manual-rollback":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      setIncident(outputs, outcome.incident);
      return { outputs, exitCode: outcome.failure ? 1 : 0 };
    case "refused":
      return { outputs, exitCode: 1 };
    case "status":
      outputs.status = JSON.stringify(outcome.report);
      return { outputs, exitCode: 0 };
    case "blocked": {
      const first = outcome.incidents[0];
      if (first) setIncident(outputs, first);
      outputs.incidents = JSON.stringify(outcome.incidents);
      return { outputs, exitCode: 1 };
    }
    case "clear":
      outputs.incidents = "[]";
      return { outputs, exitCode: 0 };
    case "failed":
      return { outputs, exitCode: 1 };
  }
}
function resultName(outcome) {
  if (outcome.kind === "manual-rollback") return outcome.failure ? "rollback-failed" : "rolled-back";
  if (outcome.kind === "status") return "reported";
  return outcome.kind;
}
function setIncident(outputs, incident) {
  outputs["incident-number"] = String(incident.number);
  outputs["incident-url"] = incident.url;
}
function describeFailure(failure) {
  if (failure.kind === "unhealthy") return `unhealthy: ${failure.reason}`;
  if (failure.kind === "error") return failure.message;
  if (failure.timedOut) return `the command did not finish within ${Math.round(failure.timeoutMs / 1e3)}s and was killed`;
  if (failure.signal) return `the command was killed by ${failure.signal}`;
  return `the command exited with code ${failure.exitCode}`;
}

// src/core/tag-names.ts
var ENVIRONMENT = /^[A-Za-z0-9._-]+$/;
var SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
function environmentError(env) {
  if (!ENVIRONMENT.test(env)) {
    return `"${env}" may contain only letters, digits, ".", "_" and "-"`;
  }
  return refSegmentError(env);
}
function tagPrefixError(prefix) {
  const segments = prefix.split("/");
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      return `"${prefix}" must be one or more "/"-separated parts of letters, digits, ".", "_" and "-", none empty or starting with "."`;
    }
    const error = refSegmentError(segment);
    if (error) return error;
  }
  return void 0;
}
function refSegmentError(segment) {
  if (segment.startsWith(".")) return `"${segment}" must not start with "."`;
  if (segment.includes("..")) return `"${segment}" must not contain ".."`;
  if (segment.endsWith(".lock") || segment.endsWith(".")) return `"${segment}" must not end with "." or ".lock"`;
  return void 0;
}
function knownGoodRef(prefix, env) {
  return `tags/${prefix}/${env}/known-good`;
}
function preDeployRef(prefix, env, runId, runAttempt) {
  return `tags/${prefix}/${env}/deploy-${runId}-${runAttempt}`;
}
function shortSha(sha) {
  return sha.slice(0, 7);
}

export {
  stepResult,
  describeFailure,
  environmentError,
  tagPrefixError,
  knownGoodRef,
  preDeployRef,
  shortSha
};
