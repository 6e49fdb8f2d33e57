import type { Command } from 'commander';
import { ExitError } from '../cliErrors.js';
import { diagnose, type DoctorLine } from '../doctor/diagnose.js';
import { createTokenProvider } from '../run/apiConnection.js';
import { parseConnection, parseProjectIds } from './parseRunFlags.js';
import { addRunFlags } from './runFlags.js';

export interface RawDoctorFlags {
  projectIds?: string;
  endpoint?: string;
}

const MARK: Record<DoctorLine['status'], string> = { ok: 'ok  ', fail: 'FAIL', skip: 'skip' };

export function registerDoctorCommand(program: Command): void {
  const command = program
    .command('doctor')
    .description('Check the configuration before a first erasure: the endpoint, the credentials, each project, and graphql/ against the live schema');
  addRunFlags(command, ['projectIds', 'endpoint']);
  command.action(async (flags: RawDoctorFlags) => {
    const connection = parseConnection(flags, process.env);
    const projectIds = parseProjectIds(
      flags.projectIds !== undefined ? '--project-ids' : 'IADVIZE_PROJECT_IDS',
      flags.projectIds ?? process.env.IADVIZE_PROJECT_IDS,
    );
    const lines = await diagnose(connection, createTokenProvider(connection.auth), projectIds);
    process.stdout.write(lines.map(formatLine).join(''));
    if (lines.some((line) => line.status === 'fail')) throw new ExitError(1);
  });
}

function formatLine(line: DoctorLine): string {
  const differences = (line.differences ?? []).map(
    (difference) =>
      `        ${difference.assumed ? 'ASSUMED ' : '        '}${difference.coordinate}: ${difference.message}${difference.where.length > 0 ? ` (${difference.where.join(', ')})` : ''}\n`,
  );
  return `${MARK[line.status]}  ${line.text}\n${differences.join('')}`;
}
