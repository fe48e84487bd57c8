/**
 * Attribution of a page-world write to the script that made it, from a stack trace taken with the
 * natives saved when the hook was installed (document_start, before any page script).
 *
 * A page can shape stack traces: V8 calls `Error.prepareStackTrace` and honours
 * `Error.stackTraceLimit`; Firefox reads `stack` through an accessor on `Error.prototype`. We use
 * the saved `Error` constructor and, in Firefox, the saved accessor; in V8 we set the two statics
 * to their start values while taking the trace. Where the page made that impossible (it redefined
 * them so that we cannot reset them), the initiator is still given but marked `initiatorShaped`.
 */
import { initiatorFromStack } from '@/lib/collectors/stack-initiator';

export type CaptureInitiator = () => { initiator?: string; initiatorShaped?: true };

export function makeInitiatorCapture(): CaptureInitiator {
  const NativeError = Error;
  const E = NativeError as ErrorConstructor & { prepareStackTrace?: unknown; stackTraceLimit?: number };
  const stackGetter = Object.getOwnPropertyDescriptor(NativeError.prototype, 'stack')?.get; // Firefox
  const startPrepare = Object.getOwnPropertyDescriptor(E, 'prepareStackTrace');
  const startLimit = E.stackTraceLimit;
  const getDescriptor = Object.getOwnPropertyDescriptor;
  const defineProperty = Object.defineProperty;
  const ownPrepare = () => getDescriptor(E, 'prepareStackTrace');

  return () => {
    let shaped = false;
    const prepare = ownPrepare();
    const limit = getDescriptor(E, 'stackTraceLimit');
    const restore: Array<() => void> = [];
    try {
      if (prepare && (!startPrepare || prepare.value !== startPrepare.value || prepare.get)) {
        if (prepare.configurable) {
          Reflect.deleteProperty(E, 'prepareStackTrace');
          if (startPrepare) defineProperty(E, 'prepareStackTrace', startPrepare);
          restore.push(() => defineProperty(E, 'prepareStackTrace', prepare));
        } else shaped = true;
      }
      if (limit && 'value' in limit && limit.value !== startLimit && startLimit !== undefined) {
        if (limit.writable) {
          E.stackTraceLimit = Math.max(startLimit, 50);
          restore.push(() => defineProperty(E, 'stackTraceLimit', limit));
        } else shaped = true;
      } else if (limit?.get || limit?.set) shaped = true;
      const error = new NativeError();
      const stack = stackGetter ? (stackGetter.call(error) as unknown) : error.stack;
      if (typeof stack !== 'string') shaped = true;
      const initiator = initiatorFromStack(typeof stack === 'string' ? stack : undefined);
      return { ...(initiator ? { initiator } : {}), ...(shaped ? { initiatorShaped: true as const } : {}) };
    } catch {
      return { initiatorShaped: true as const };
    } finally {
      for (const undo of restore.reverse()) {
        try {
          undo();
        } catch {
          // The page's own property could not be put back as it was: nothing more we can do.
        }
      }
    }
  };
}
