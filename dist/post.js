import {
  readRunContext
} from "./chunks/chunk-URYDINTG.js";
import {
  Git,
  OPEN_DEPLOYMENTS_STATE,
  WORKTREE_STATE,
  createGitHubClient,
  latestDeploymentState,
  setDeploymentStatus
} from "./chunks/chunk-OTIALTYA.js";
import {
  coreLog,
  getInput,
  getState,
  warning
} from "./chunks/chunk-YLRFVINQ.js";
import "./chunks/chunk-BJIBUVXV.js";

// src/post.ts
async function post() {
  const context = readRunContext(process.env);
  if (!context.ok) return;
  const ctx = context.context;
  const open = parseIds(getState(OPEN_DEPLOYMENTS_STATE));
  if (open.length) {
    const token = getInput("github-token");
    const gh = createGitHubClient({ token, baseUrl: ctx.apiUrl, log: coreLog, userAgent: "deploy-guard/0.1.0" });
    const repo = { owner: ctx.owner, repo: ctx.repo };
    for (const id of open) {
      try {
        const state = await latestDeploymentState(gh, repo, id);
        if (state !== "in_progress" && state !== "queued" && state !== "pending" && state !== void 0) continue;
        await setDeploymentStatus(gh, repo, id, "error", {
          description: "The deploy-guard step was stopped (cancelled or killed) before this deployment finished",
          logUrl: ctx.runUrl
        });
        warning(`Deployment ${id} was left ${state ?? "without a status"} by a stopped run; marked it error.`);
      } catch (error) {
        warning(`Could not close deployment ${id}: ${error.message}`);
      }
    }
  }
  const worktree = getState(WORKTREE_STATE);
  if (worktree) {
    await new Git(ctx.workspace).removeWorktree(worktree).catch((e) => warning(`Could not remove ${worktree}: ${e.message}`));
  }
}
function parseIds(text) {
  if (!text) return [];
  try {
    const ids = JSON.parse(text);
    return Array.isArray(ids) ? ids.filter((id) => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}
await post();
