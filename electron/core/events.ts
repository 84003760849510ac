import { EventEmitter } from 'node:events';
import type { ApiEvents, EventName } from '../../shared/api/events';

/** Typed fan-out of core events to every adapter (IPC windows, loopback sockets). */
export class EventBus {
  private emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    this.emitter.emit('event', event, payload);
  }
  /** listen to every event; returns an unsubscribe function */
  onAny(listener: <E extends EventName>(event: E, payload: ApiEvents[E]) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
