// "Did you mean ...?" for names the user typed that the CLI does not know: generators, engines and
// subcommands, with the same rule commander applies to commands and options, so every suggestion
// reads alike.

import { CommanderError, type Command } from 'commander';
import leven from 'leven';

// Commander's thresholds (lib/suggestSimilar.js): at most 3 edits, and more than 40% of the longer
// name left as it was.
const MAX_DISTANCE = 3;
const MIN_SIMILARITY = 0.4;

/** The known names closest to `typed`, alphabetically; none when nothing is close enough. */
export function similarNames(typed: string, known: readonly string[]): string[] {
  let best = MAX_DISTANCE + 1;
  let similar: string[] = [];
  for (const candidate of known) {
    if (candidate.length <= 1) continue;
    const distance = leven(typed, candidate, { maxDistance: MAX_DISTANCE + 1 });
    const length = Math.max(typed.length, candidate.length);
    if (distance > MAX_DISTANCE || (length - distance) / length <= MIN_SIMILARITY) continue;
    if (distance < best) {
      best = distance;
      similar = [candidate];
    } else if (distance === best) {
      similar.push(candidate);
    }
  }
  return similar.sort((a, b) => a.localeCompare(b));
}

/** `; did you mean X?` (or `one of X, Y`) to append to an "unknown ..." message, or ''. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const similar = similarNames(typed, known);
  if (similar.length === 0) return '';
  return `; did you mean ${similar.length === 1 ? similar[0] : `one of ${similar.join(', ')}`}?`;
}

/**
 * Commander suggests commands only at the top level: a misspelled subcommand of a command that
 * also runs on its own (`explore merg`) is an extra argument to it. When an extra argument is
 * close to one of the subcommands, this says so instead; other errors pass through.
 */
export function withSubcommandSuggestion(error: unknown, program: Command, argv: readonly string[]): unknown {
  if (!(error instanceof CommanderError) || error.code !== 'commander.excessArguments') return error;
  const commandName = /for '([^']+)'/.exec(error.message)?.[1];
  const command = program.commands.find((candidate) => candidate.name() === commandName);
  if (command === undefined || command.commands.length === 0) return error;
  const subcommands = command.commands.map((sub) => sub.name());
  const typed = argv.slice(argv.indexOf(command.name()) + 1).find((token) => !token.startsWith('-') && similarNames(token, subcommands).length > 0);
  if (typed === undefined) return error;
  return new CommanderError(
    error.exitCode,
    'commander.unknownCommand',
    `error: unknown command '${typed}' for '${command.name()}' (Did you mean ${similarNames(typed, subcommands).join(', ')}?)`,
  );
}
