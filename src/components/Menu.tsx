/**
 * The whole menu from a MenuModel: title, then problems, last action, running models, idle
 * models, selectors, peer models, profiles, system, service actions and files, with one
 * separator between sections.
 */
import { Fragment, type ReactElement, type ReactNode } from 'react';
import { DIM } from './colors.js';
import { FilesSection } from './sections/FilesSection.js';
import { IdleModels } from './sections/IdleModels.js';
import { LastActionItem } from './sections/LastActionItem.js';
import type { MenuModel } from './model.js';
import { ModelSection } from './sections/ModelSection.js';
import { MoreModelsItem } from './sections/MoreModelsItem.js';
import { Item, Separator } from './primitives/index.js';
import { ProblemItems } from './sections/ProblemItems.js';
import { PeersSection } from './sections/PeersSection.js';
import { ProfileSection } from './sections/ProfileSection.js';
import { SelectorsSection } from './sections/SelectorsSection.js';
import { ServiceSection, serviceLines } from './sections/ServiceSection.js';
import { StatusTitle } from './sections/StatusTitle.js';
import { SystemSection } from './sections/SystemSection.js';

export type MenuProps = {
  readonly model: MenuModel;
};

type Section = readonly [key: string, node: ReactNode];

/** "Connecting to llama-swap at 127.0.0.1:8080…": the first moment, before any answer. */
export function connectingText(uiUrl: string): string {
  let where = '';
  try {
    where = ` at ${new URL(uiUrl).host}`;
  } catch {
    // An address that does not parse is left out rather than printed wrong.
  }
  return `Connecting to llama-swap${where}…`;
}

/** The sections that have something to show, in menu order. */
export function menuSections(model: MenuModel): Section[] {
  const { remote } = model;
  const serviceProps = {
    service: model.service,
    status: model.status,
    hasModels: model.models.length > 0,
    remote,
    offered: model.problems.flatMap((p) => (p.fix === undefined ? [] : [p.fix.action])),
  };
  const service = serviceLines(serviceProps);
  const more = model.moreModels ?? { loaded: 0, idle: 0 };
  const sections: (Section | false)[] = [
    model.status === 'connecting' && ['connecting', <Item color={DIM}>{connectingText(model.uiUrl)}</Item>],
    model.problems.length > 0 && ['problems', <ProblemItems problems={model.problems} invoker={model.invoker} />],
    model.lastAction !== null && ['last-action', <LastActionItem lastAction={model.lastAction} />],
    model.models.length + more.loaded > 0 && [
      'models',
      <>
        <Item>Loaded</Item>
        {model.models.map((m, i) => (
          <ModelSection key={`${i}:${m.id}`} model={m} invoker={model.invoker} chart={model.chart} />
        ))}
        <MoreModelsItem count={more.loaded} what="loaded" uiUrl={model.uiUrl} />
      </>,
    ],
    model.idleModels.length + more.idle > 0 && [
      'idle',
      <>
        <IdleModels models={model.idleModels} invoker={model.invoker} />
        <MoreModelsItem count={more.idle} uiUrl={model.uiUrl} />
      </>,
    ],
    (model.selectors?.length ?? 0) > 0 && ['selectors', <SelectorsSection selectors={model.selectors ?? []} />],
    (model.peers?.length ?? 0) + (model.morePeerModels ?? 0) > 0 && [
      'peers',
      <PeersSection peers={model.peers ?? []} more={model.morePeerModels ?? 0} uiUrl={model.uiUrl} />,
    ],
    model.profiles !== null &&
      model.profiles.available.length > 0 && ['profiles', <ProfileSection profiles={model.profiles} invoker={model.invoker} />],
    model.system !== null && ['system', <SystemSection system={model.system} chart={model.chart} platform={model.service?.platform ?? 'macos'} />],
    service.length > 0 && ['service', <ServiceSection {...serviceProps} invoker={model.invoker} />],
    ['files', <FilesSection uiUrl={model.uiUrl} invoker={model.invoker} remote={remote} streaming={model.streaming ?? true} />],
  ];
  return sections.filter((s): s is Section => s !== false);
}

/** Each non-empty section, one separator between two (a whole menu's body, or a host's submenu). */
export function MenuSections({ model }: MenuProps): ReactElement {
  return (
    <>
      {menuSections(model).map(([key, node], i) => (
        <Fragment key={key}>
          {i > 0 && <Separator />}
          {node}
        </Fragment>
      ))}
    </>
  );
}

/** The menu: status title, then each non-empty section separated by one separator. */
export function Menu({ model }: MenuProps): ReactElement {
  return (
    <>
      <StatusTitle status={model.status} models={model.models} apiError={model.apiError} shortcut={model.shortcut ?? null} />
      <MenuSections model={model} />
    </>
  );
}
