/** A small typed event emitter: devices publish status and reads through it. */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<Name extends keyof Events>(event: Name, listener: (payload: Events[Name]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  protected emit<Name extends keyof Events>(event: Name, payload: Events[Name]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: Events[Name]) => void)(payload);
  }

  removeAllListeners(): void {
    this.listeners.clear();
  }
}
