/**
 * The LaunchAgent's property list: a pure builder (object and XML), a validator that parses a
 * plist back, and the `--listen` address derived from the plugin's API settings.
 */
import path from 'node:path';
import { build, parse } from 'plist';
import type { PlistValue } from 'plist';
import type { PluginConfig, Result } from '../types.js';

export type LaunchAgentSpec = {
  readonly label: string;
  readonly binaryPath: string;
  readonly configPath: string;
  /** `host:port` for llama-swap's `--listen`. */
  readonly listen: string;
  readonly logPath: string;
};

/** What a parsed plist must contain for the doctor to call it valid. */
export type PlistCheck = {
  readonly label: string;
  readonly programArguments: readonly string[];
};

/** PATH for llama-swap and the llama-server processes it starts (launchd gives agents almost none). */
export function servicePath(binaryPath: string): string {
  const dirs = [path.dirname(binaryPath), '/opt/homebrew/bin', '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  return [...new Set(dirs)].join(':');
}

/** `host:port` llama-swap must listen on so the plugin's apiUrl/apiPort reach it. */
export function listenAddress(config: Pick<PluginConfig, 'apiUrl' | 'apiPort'>): string {
  let host = '127.0.0.1';
  try {
    const url = new URL(config.apiUrl);
    if (url.hostname !== '') host = url.hostname;
  } catch {
    // A malformed URL has already produced a config warning; keep the safe loopback default.
  }
  return `${host}:${config.apiPort}`;
}

/**
 * The plist as data. KeepAlive {SuccessfulExit: false}: launchd restarts llama-swap after a crash
 * but not after a clean exit (llama-swap exits 0 on SIGTERM), so a deliberate stop stays stopped.
 * ProcessType Interactive: inference serves the user directly and must not get Background's
 * CPU and I/O throttling.
 */
export function launchAgentDefinition(spec: LaunchAgentSpec): Record<string, PlistValue> {
  return {
    Label: spec.label,
    ProgramArguments: [spec.binaryPath, '--config', spec.configPath, '--listen', spec.listen],
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: 10,
    ProcessType: 'Interactive',
    WorkingDirectory: path.dirname(spec.configPath),
    StandardOutPath: spec.logPath,
    StandardErrorPath: spec.logPath,
    EnvironmentVariables: { PATH: servicePath(spec.binaryPath) },
  };
}

/** The plist as XML text. */
export function buildLaunchAgentPlist(spec: LaunchAgentSpec): string {
  return build(launchAgentDefinition(spec));
}

/** Parses plist XML; never throws. */
export function parsePlist(xml: string): Result<Record<string, PlistValue>, string> {
  // xmldom (under plist) reports malformed XML on the console before throwing; keep output clean.
  const { error: savedError, warn: savedWarn } = console;
  console.error = () => undefined;
  console.warn = () => undefined;
  try {
    const value = parse(xml);
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date) {
      return { ok: false, error: 'the plist is not a dictionary' };
    }
    return { ok: true, value: value as Record<string, PlistValue> };
  } catch (error) {
    return { ok: false, error: `not a valid plist: ${(error as Error).message.split('\n')[0] ?? ''}` };
  } finally {
    console.error = savedError;
    console.warn = savedWarn;
  }
}

/** Checks that a plist has a Label and string ProgramArguments. */
export function checkLaunchAgentPlist(xml: string): Result<PlistCheck, string> {
  const parsed = parsePlist(xml);
  if (!parsed.ok) return parsed;
  const { Label: label, ProgramArguments: args } = parsed.value;
  if (typeof label !== 'string' || label === '') return { ok: false, error: 'the plist has no Label' };
  if (!Array.isArray(args) || args.length === 0 || !args.every((a): a is string => typeof a === 'string')) {
    return { ok: false, error: 'the plist has no ProgramArguments' };
  }
  return { ok: true, value: { label, programArguments: args } };
}
