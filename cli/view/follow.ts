import { applyEvent, emptyView, type ReleaseView, type ViewEvent } from './release-view.ts';
import type { Screen } from './screen.ts';

/** Folds a release's events into its view as they come, and shows each on a screen. */
export class Follower {
  view: ReleaseView;

  constructor(
    releaseId: string,
    service: string,
    private readonly screen: Screen,
  ) {
    this.view = emptyView(releaseId, service);
  }

  event(event: ViewEvent): void {
    this.view = applyEvent(this.view, event);
    this.screen.event(this.view, event);
  }

  tick(now: number): void {
    this.screen.tick(this.view, now);
  }

  end(now: number): ReleaseView {
    this.screen.end(this.view, now);
    return this.view;
  }
}
