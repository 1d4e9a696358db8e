/** llama-swap's profiles: the active one checked, a click switches. */
import type { ReactElement } from 'react';
import { clickAction, idAction } from '../menu-action.js';
import { DIM, TEXT } from '../colors.js';
import type { PinView, ProfilesView } from '../model.js';
import type { ActionInvoker } from '../../system/types.js';
import { Item, Separator, Submenu } from '../primitives/index.js';

export type ProfileSectionProps = {
  readonly profiles: ProfilesView;
  readonly invoker: ActionInvoker;
};

/** "coder → beta", plus "(loaded)" when the target is. */
export function pinLabel(p: PinView): string {
  return `${p.id} → ${p.target}${p.targetLoaded ? ' (loaded)' : ''}`;
}

/**
 * The Profile submenu; nothing when llama-swap has no profiles. Its label names the active profile
 * ("Profile: none" is a profile named none); with none active it reads "No profile active".
 */
export function ProfileSection({ profiles, invoker }: ProfileSectionProps): ReactElement | null {
  if (profiles.available.length === 0) return null;
  const pins = profiles.pins ?? [];
  return (
    <Submenu label={profiles.active === null ? 'No profile active' : `Profile: ${profiles.active}`}>
      {profiles.available.map((p, i) => (
        <Item key={`${i}:${p.id}`} checked={p.id === profiles.active} {...idAction(invoker, 'set_profile', p.id)}>
          {p.description.trim() !== '' ? `${p.id} — ${p.description}` : p.id}
        </Item>
      ))}
      <Separator />
      <Item checked={profiles.active === null} {...clickAction(invoker, 'clear_profile')}>
        No profile
      </Item>
      {pins.length > 0 && (
        <>
          <Separator />
          <Item color={DIM}>{`Pins of ${profiles.active ?? ''}`}</Item>
          {pins.map((p, i) => (
            <Item key={`${i}:${p.id}`} color={p.targetLoaded ? TEXT : DIM} tooltip="Requests for the first name go to the second">
              {pinLabel(p)}
            </Item>
          ))}
        </>
      )}
    </Submenu>
  );
}
