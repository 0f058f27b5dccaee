/**
 * At enrolment, how the member's token is protected (docs/token.md §3.2): by a passphrase, or by their
 * smart card or USB security key, chosen among those plugged in (listed by the privileged process, which
 * alone talks to them). Where the workstation cannot use such devices (no PKCS#11 module, the binding
 * absent), the list says why and only the passphrase is offered. The PIN is typed in the step's own form,
 * sent with the step like a passphrase, and never kept on the page.
 */
import type { TFunction } from 'i18next';
import { useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberDeviceView, SceauApi } from '../../core/service/api.js';
import type { Failure } from '../../core/common/result.js';
import { FailureMessage } from '../components.js';

/** What the member chose: a passphrase, or the device with this serial ('' until one is picked). */
export type Protection = { readonly kind: 'passphrase' } | { readonly kind: 'device'; readonly serial: string };

/** A device's line in the list: what a person recognises (label, model, serial) and its state. */
function deviceWords(d: MemberDeviceView, t: TFunction): string {
  const state = [d.hasKey ? t('devices.list.hasKey') : '', d.pinFinalTry ? t('devices.list.finalTry') : '', d.pinLocked ? t('devices.list.locked') : ''].filter((s) => s !== '');
  return `${t('devices.list.option', { label: d.label, model: d.model, serial: d.serial })}${state.length > 0 ? ` (${state.join(', ')})` : ''}`;
}

function DeviceSelect({ api, id, serial, onChange, disabled }: { api: SceauApi; id: string; serial: string; onChange: (serial: string) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const [devices, setDevices] = useState<readonly MemberDeviceView[] | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const refresh = async () => {
    const r = await api.listMemberDevices({});
    if (!r.ok) {
      setDevices([]);
      setFailure(r.error);
      onChange('');
      return;
    }
    setFailure(null);
    setDevices(r.value.devices);
    const usable = r.value.devices.filter((d) => !d.pinLocked);
    if (!usable.some((d) => d.serial === serial)) onChange(usable[0]?.serial ?? '');
  };
  const chosen = devices?.find((d) => d.serial === serial);
  const listOnce = useEffectEvent(() => void refresh());
  useEffect(() => listOnce(), []);
  return (
    <div className="field">
      <label htmlFor={id}>{t('devices.list.label')}</label>
      <div className="inline">
        <select id={id} value={serial} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
          {(devices ?? []).map((d) => (
            <option key={d.serial} value={d.serial} disabled={d.pinLocked}>
              {deviceWords(d, t)}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void refresh()} disabled={disabled}>
          {t('devices.list.refresh')}
        </button>
      </div>
      {chosen && (
        <p className="muted legend" data-testid="device-pin-length">
          {t('devices.list.pinLength', { min: chosen.minPinLength, max: chosen.maxPinLength })}
        </p>
      )}
      {devices !== null && devices.length === 0 && failure === null && <p className="muted">{t('devices.list.none')}</p>}
      {failure && <FailureMessage failure={failure} />}
    </div>
  );
}

/** The choice between a passphrase and a device, with the device list when a device is chosen. */
export function ProtectionChoice({ api, idPrefix, value, onChange, disabled = false }: { api: SceauApi; idPrefix: string; value: Protection; onChange: (p: Protection) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <fieldset className="choice" disabled={disabled}>
        <legend>{t('devices.protection.legend')}</legend>
        <label>
          <input type="radio" name={`${idPrefix}-protection`} value="passphrase" checked={value.kind === 'passphrase'} onChange={() => onChange({ kind: 'passphrase' })} />{' '}
          {t('devices.protection.passphrase')} <span className="muted">— {t('devices.protection.passphraseHint')}</span>
        </label>
        <label>
          <input type="radio" name={`${idPrefix}-protection`} value="device" checked={value.kind === 'device'} onChange={() => onChange({ kind: 'device', serial: '' })} />{' '}
          {t('devices.protection.device')} <span className="muted">— {t('devices.protection.deviceHint')}</span>
        </label>
      </fieldset>
      {value.kind === 'device' && <DeviceSelect api={api} id={`${idPrefix}-device`} serial={value.serial} onChange={(serial) => onChange({ kind: 'device', serial })} disabled={disabled} />}
    </>
  );
}

/**
 * The device's PIN, in place of the passphrase field: at enrolment (`device` absent) the PIN already set
 * on the card, typed once; later, the PIN of the card the token names.
 */
export function PinField({
  id,
  value,
  onChange,
  device,
  disabled = false,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  device?: { readonly label: string; readonly serial: string } | undefined;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>{t('devices.pin.label')}</label>
      <input id={id} type="password" inputMode="numeric" autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-hint`} disabled={disabled} />
      <p id={`${id}-hint`} className="muted legend">
        {device ? t('devices.pin.stepHint', { label: device.label, serial: device.serial }) : t('devices.pin.enrolHint')}
      </p>
    </div>
  );
}
