// Requests the backend refused (status >= 400, or a network error from a `reset` fault), counted per server life.
// An SDK retries or swallows many refusals, so a session can end "successfully" with requests the backend never
// served: `GET /_harness/stats` says how many, and which, so a test can demand none (the real-SDK tier does).

/** One refused request, as the stats endpoint lists it. */
export interface Refusal { method: string; path: string; status: number }

/** The most recent refusals listed in full; the count covers all of them. */
const KEPT = 200;

export class RefusalLog {
  private count = 0;
  private readonly recent: Refusal[] = [];

  note(method: string, path: string, response: Response): void {
    // Response.error() (a `reset` fault) has status 0: the client saw no answer at all, also a refusal.
    if (response.status < 400 && response.type !== 'error') return;
    this.count++;
    if (this.recent.length === KEPT) this.recent.shift();
    this.recent.push({ method, path, status: response.status });
  }

  clear(): void {
    this.count = 0;
    this.recent.length = 0;
  }

  stats(): { refused: number; requests: Refusal[] } {
    return { refused: this.count, requests: [...this.recent] };
  }
}
