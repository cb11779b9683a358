// Keeps every deployment this run opened until it has a terminal status, so none is left
// `in_progress`: the run's own finally path closes what is open, and the list is saved to the
// step state so the post step can close it if the run was killed.
import { setDeploymentStatus, type DeploymentState } from './deployments.ts';
import type { GitHubClient, Repo } from './client.ts';

import { OPEN_DEPLOYMENTS_STATE } from '../state-names.ts';

export class DeploymentLedger {
  private readonly open = new Set<number>();

  constructor(
    private readonly gh: GitHubClient,
    private readonly repo: Repo,
    private readonly logUrl: string,
    private readonly saveState: (name: string, value: string) => void,
  ) {}

  async start(deploymentId: number, description: string): Promise<void> {
    this.open.add(deploymentId);
    this.save();
    await this.setStatus(deploymentId, 'in_progress', description);
  }

  async finish(deploymentId: number, state: Exclude<DeploymentState, 'in_progress'>, description: string): Promise<void> {
    await this.setStatus(deploymentId, state, description);
    this.open.delete(deploymentId);
    this.save();
  }

  isOpen(deploymentId: number): boolean {
    return this.open.has(deploymentId);
  }

  /** Best effort: closes everything still open as `error`, and never throws. */
  async abandonOpen(description: string): Promise<string[]> {
    const problems: string[] = [];
    for (const id of [...this.open]) {
      try {
        await this.finish(id, 'error', description);
      } catch (error) {
        problems.push(`deployment ${id}: ${(error as Error).message}`);
      }
    }
    return problems;
  }

  private setStatus(deploymentId: number, state: DeploymentState, description: string): Promise<void> {
    return setDeploymentStatus(this.gh, this.repo, deploymentId, state, { description, logUrl: this.logUrl });
  }

  private save(): void {
    this.saveState(OPEN_DEPLOYMENTS_STATE, JSON.stringify([...this.open]));
  }
}
