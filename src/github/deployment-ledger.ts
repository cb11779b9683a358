// The one owner of the terminal statuses of the deployments a run opens. A phase plans how a
// deployment ends (core/deployment-end.ts); the ledger writes it when the run lets go of it, and
// closes whatever is still open, as `error`, when the run stops early. The open list is saved to
// the step state so the post step can close it if the run was killed.
import { setDeploymentStatus } from './deployments.ts';
import type { GitHubClient, Repo } from './client.ts';
import { STOPPED_BEFORE_FINISHED, type DeploymentEnd } from '../core/deployment-end.ts';
import { OPEN_DEPLOYMENTS_STATE } from '../state-names.ts';

export class DeploymentLedger {
  private readonly open = new Set<number>();
  private readonly planned = new Map<number, DeploymentEnd>();

  constructor(
    private readonly gh: GitHubClient,
    private readonly repo: Repo,
    private readonly logUrl: string,
    private readonly saveState: (name: string, value: string) => void,
  ) {}

  async start(deploymentId: number, description: string): Promise<void> {
    this.open.add(deploymentId);
    this.save();
    await this.write(deploymentId, { state: 'in_progress', description });
  }

  /** A further in-progress status of an open deployment (the stage a staged deploy has reached). */
  async progress(deploymentId: number, description: string): Promise<void> {
    if (this.open.has(deploymentId)) await this.write(deploymentId, { state: 'in_progress', description });
  }

  /** How `deploymentId` ends when it is closed (the last plan wins). */
  plan(deploymentId: number, end: DeploymentEnd): void {
    this.planned.set(deploymentId, end);
  }

  isOpen(deploymentId: number): boolean {
    return this.open.has(deploymentId);
  }

  /** Writes the planned end of `deploymentId` now (or `error` if none was planned); nothing if it is closed. */
  async close(deploymentId: number): Promise<void> {
    if (!this.open.has(deploymentId)) return;
    await this.write(deploymentId, this.planned.get(deploymentId) ?? STOPPED_BEFORE_FINISHED);
    this.open.delete(deploymentId);
    this.save();
  }

  /**
   * Closes every deployment still open, each with its planned end (or `error` if the run stopped
   * before it had one). Best effort: never throws; returns what could not be closed.
   */
  async closeAll(): Promise<string[]> {
    const problems: string[] = [];
    for (const id of [...this.open]) {
      try {
        await this.close(id);
      } catch (error) {
        problems.push(`deployment ${id}: ${(error as Error).message}`);
      }
    }
    return problems;
  }

  private write(deploymentId: number, end: { state: DeploymentEnd['state'] | 'in_progress'; description: string }): Promise<void> {
    return setDeploymentStatus(this.gh, this.repo, deploymentId, end.state, { description: end.description, logUrl: this.logUrl });
  }

  private save(): void {
    this.saveState(OPEN_DEPLOYMENTS_STATE, JSON.stringify([...this.open]));
  }
}
