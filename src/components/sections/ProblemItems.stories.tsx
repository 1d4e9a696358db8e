import { RED, YELLOW } from '../colors.js';
import { INVOKER, binaryMissing, hostileNames, metricsDisabled, stopped, unauthorized } from '../fixtures/menu-models.js';
import type { Problem } from '../model.js';
import { ProblemItems } from './ProblemItems.js';
import { findItem } from '../../reconciler/parse.js';
import { argvOf, bodyText, InMenu, pairText, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';

const meta: StoryMeta = { title: 'Menu/ProblemItems' };
export default meta;

const items = (problems: readonly Problem[]) => () => (
  <InMenu>
    <ProblemItems problems={problems} invoker={INVOKER} />
  </InMenu>
);

/** Stopped service: red message, then the fixing action. */
export const ServiceStopped: Story = {
  render: items(stopped.problems),
  assert: (frame, expect) => {
    const [message, fix] = topItems(frame);
    expect(message?.title).toBe('The llama-swap service is stopped.');
    expect(message?.params.color).toBe(pairText(RED));
    expect(fix?.title).toBe('Start llama-swap');
    expect(argvOf(fix)).toEqual([INVOKER.executable, 'do_start']);
  },
};

/** A fix that is a web page: a link, no command. */
export const LinkFix: Story = {
  render: items(binaryMissing.problems),
  assert: (frame, expect) => {
    expect(findItem(frame, 'How to fix this')?.params.href).toBe('https://github.com/mostlygeek/llama-swap#installation');
    expect(findItem(frame, 'How to fix this')?.params.bash).toBeUndefined();
  },
};

/** A long message wraps into several red lines; the fix follows. */
export const LongMessage: Story = {
  render: items(unauthorized.problems),
  assert: (frame, expect) => {
    const lines = topItems(frame);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(0, -1).every((l) => l.params.color === pairText(RED) && l.title.length <= 60)).toBe(true);
    expect(bodyText(frame)).toContain('(it stores the key in a 0600 file that the wrapper reads).');
  },
};

/** A warning is yellow. */
export const Warning: Story = {
  render: items(metricsDisabled.problems),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.params.color).toBe(pairText(YELLOW));
  },
};

/** Server text inside a message cannot add parameters. */
export const HostileMessage: Story = {
  render: items(hostileNames.problems),
  assert: (frame, expect) => {
    const first = topItems(frame)[0];
    expect(first?.params.bash).toBeUndefined();
    expect(first?.params.color).toBe(pairText(YELLOW));
    expect(bodyText(frame)).toContain('bash=/bin/rm param1=-rf │ color=red');
  },
};

/** What failed, first, then the installation advice (issue 12): refused connection, no binary. */
export const FailureBeforeAdvice: Story = {
  render: items(binaryMissing.problems),
  assert: (frame, expect) => {
    const text = bodyText(frame);
    expect(text.indexOf('refused the connection')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('refused the connection')).toBeLessThan(text.indexOf('llama-swap is not installed'));
  },
};

/** launchctl could not tell the job's state: its own words and exit code, as a warning. */
export const LaunchctlFailure: Story = {
  render: items([
    { id: 'launchctl', severity: 'warning', message: 'launchctl print failed (exit 112): Could not find domain for user gui: 501.' },
  ]),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.params.color).toBe(pairText(YELLOW));
    expect(bodyText(frame)).toContain('(exit 112): Could not find domain');
  },
};

/** The model list was refused as too large: a warning that says so. */
export const ModelListTooLarge: Story = {
  render: items([
    { id: 'models-list', severity: 'warning', message: "Configured models not listed: llama-swap's answer to /v1/models is too large (over 4 MB)" },
  ]),
  assert: (frame, expect) => {
    expect(bodyText(frame)).toContain('too large (over 4 MB)');
  },
};
