import type { ConsentCommand, ConsentCommandResponse } from '@/lib/messages';

const KEPT = 50;

/**
 * Runs each command id once per document: the background resends a command whose answer it did
 * not get (consent-service RESEND_DELAYS_MS), and a resent click must not click twice. A resend
 * gets the first run's answer.
 */
export function runOnce(
  run: (command: ConsentCommand) => Promise<ConsentCommandResponse>,
): (command: ConsentCommand) => Promise<ConsentCommandResponse> {
  const answered = new Map<string, Promise<ConsentCommandResponse>>();
  return (command) => {
    if (command.id === undefined) return run(command);
    const known = answered.get(command.id);
    if (known) return known;
    const answer = run(command);
    answered.set(command.id, answer);
    if (answered.size > KEPT) answered.delete(answered.keys().next().value!);
    return answer;
  };
}
