/**
 * Demo mode's hand at the simulated ID-card reader: what the card buttons (`simulator:place-card`,
 * `simulator:remove-card`) do. A hand lifts the card lying there before laying the next, and the reader
 * must see the field empty in between, or its card-absent gating (rightly) takes the new card for the
 * old one still lying there; so a placement waits for the reader's `card-removed` (at most
 * LIFT_WAIT_MS) before laying its card.
 *
 * Buttons tapped in quick succession: the newest tap wins. A placement still waiting for the lift is
 * superseded by any later placement or lift, and then lays nothing (`placed: false`): it used to lay its
 * card at the next lift, so the next citizen's session started for a card nobody had laid.
 */
import type { IdCardReader } from '../../drivers/devices/types.js';

/** Longest wait for the reader to report the lifted card gone (ms); then the card is laid anyway. */
export const LIFT_WAIT_MS = 2_000;

/** The simulated reader's card field (IdCardSimulator): what a hand can do to it. */
export interface CardField {
  readonly cardPresent: boolean;
  /** False if the id is not in the deck. */
  placeCard(id: string): boolean;
  /** False if there was no card. */
  removeCard(): boolean;
}

/** The card buttons' effects; see the module comment. */
export interface DemoCardHand {
  /**
   * Lifts any card lying there, waits for the reader to see the field empty (or for a lift already
   * under way), then lays `cardId`. `placed: false` when the id is not in the deck or when a newer
   * placement or lift came while it waited.
   */
  place(cardId: string): Promise<{ placed: boolean }>;
  /** Lifts the card (`removed: false` if there was none); supersedes any placement still waiting. */
  remove(): { removed: boolean };
}

/**
 * `reader` is asked at each lift (the technician may reconnect it); null: no reader to wait for, the
 * placement waits `liftWaitMs`.
 */
export function createDemoCardHand(field: CardField, reader: () => Pick<IdCardReader, 'on'> | null, liftWaitMs = LIFT_WAIT_MS): DemoCardHand {
  /** Bumped by every tap; a waiting placement whose number is no longer the latest lays nothing. */
  let generation = 0;
  /** Settles when the reader has seen the last lift (or the wait ran out); null when no lift is pending. */
  let lifting: Promise<void> | null = null;

  function lift(): Promise<void> {
    const seen = new Promise<void>((resolve) => {
      const timer = setTimeout(() => finish(), liftWaitMs);
      const unsubscribe = reader()?.on('card-removed', () => finish());
      function finish(): void {
        clearTimeout(timer);
        unsubscribe?.();
        if (lifting === seen) lifting = null;
        resolve();
      }
    });
    lifting = seen;
    field.removeCard();
    return seen;
  }

  return {
    async place(cardId) {
      const mine = ++generation;
      if (field.cardPresent) await lift();
      else if (lifting) await lifting;
      if (mine !== generation) return { placed: false };
      return { placed: field.placeCard(cardId) };
    },
    remove() {
      generation++;
      return { removed: field.removeCard() };
    },
  };
}
