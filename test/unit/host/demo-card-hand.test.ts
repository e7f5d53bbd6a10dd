import { describe, expect, it } from 'vitest';
import { createDemoCardHand, type CardField } from '../../../host/services/demo-card-hand.js';

/**
 * Demo mode's card buttons over a card field and a reader whose `card-removed` the test sends: the
 * order of taps decides, not how long the reader takes to see a lift.
 */
function rig() {
  const laid: string[] = [];
  let card: string | null = null;
  const field: CardField = {
    get cardPresent() {
      return card !== null;
    },
    placeCard(id) {
      if (!['A', 'B', 'C', 'D'].includes(id)) return false;
      card = id;
      laid.push(id);
      return true;
    },
    removeCard() {
      const had = card !== null;
      card = null;
      return had;
    },
  };
  const listeners = new Set<() => void>();
  const reader = {
    on: (_event: 'card-removed', listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  /** The reader reports the field empty (its removal debounce has run). */
  const readerSeesLift = () => {
    for (const listener of [...listeners]) listener();
  };
  // A wait that only ends when the reader says so: an hour.
  const hand = createDemoCardHand(field, () => reader as never, 3_600_000);
  return { hand, laid, card: () => card, readerSeesLift, listening: () => listeners.size };
}

describe('demo card hand', () => {
  it('lays a card at once on an empty field, and waits for the reader to see a lift before laying the next', async () => {
    const { hand, laid, card, readerSeesLift } = rig();
    expect(await hand.place('A')).toEqual({ placed: true });
    const b = hand.place('B');
    expect(card()).toBeNull();
    readerSeesLift();
    expect(await b).toEqual({ placed: true });
    expect(laid).toEqual(['A', 'B']);
  });

  it('lays only the newest of placements tapped while the lift is awaited, even when the next lift comes', async () => {
    const { hand, laid, card, readerSeesLift, listening } = rig();
    await hand.place('A');
    const b = hand.place('B');
    const c = hand.place('C');
    readerSeesLift();
    expect(await Promise.all([b, c])).toEqual([{ placed: false }, { placed: true }]);
    expect(card()).toBe('C');
    // The next lift (the citizen takes C) lays nothing of the superseded tap.
    expect(hand.remove()).toEqual({ removed: true });
    readerSeesLift();
    await Promise.resolve();
    expect(card()).toBeNull();
    expect(listening()).toBe(0);
    const d = hand.place('D');
    expect(await d).toEqual({ placed: true });
    expect(laid).toEqual(['A', 'C', 'D']);
  });

  it('lets a lift supersede a placement still waiting', async () => {
    const { hand, laid, card, readerSeesLift } = rig();
    await hand.place('A');
    const b = hand.place('B');
    expect(hand.remove()).toEqual({ removed: false });
    readerSeesLift();
    expect(await b).toEqual({ placed: false });
    expect(card()).toBeNull();
    expect(laid).toEqual(['A']);
  });

  it('answers placed: false for a card not in the deck', async () => {
    expect(await rig().hand.place('nobody')).toEqual({ placed: false });
  });
});
