/**
 * The redistribution's members' stations (docs/stations.md §7, docs/redistribution.md §15.10), on the
 * president's workstation: the key ceremony's panel (StationsExchange) given the redistribution's packet
 * and import. The import answers no view: the redistribution is opened afresh after it, so that the
 * screen shows who is due now (or the refusal it may have recorded).
 */
import type { RedistributionView, SceauApi } from '../../../core/service/api.js';
import { ok } from '../../../core/common/result.js';
import { StationsExchange } from '../key/StationsPanel.js';
import { boardMemberName, stationsOffered } from './stations.js';

export function RedistributionStationsPanel({ api, view, onView }: { api: SceauApi; view: RedistributionView; onView: (v: RedistributionView) => void }) {
  const reload = async () => {
    const fresh = await api.redistributionOpen({ folder: view.folder });
    if (fresh.ok) onView(fresh.value);
  };
  return (
    <StationsExchange
      api={api}
      id="redistribution"
      head={view.head}
      open={stationsOffered(view.phase)}
      enrolling={view.phase === 'enrolment'}
      memberName={(index) => boardMemberName(view, index)}
      write={(drive) => api.redistributionPreparePacket({ folder: view.folder, drive })}
      place={async (packet, enrolmentCodes) => {
        const r = await api.redistributionImportAnswers({ folder: view.folder, packet, enrolmentCodes });
        if (!r.ok) return r;
        await reload();
        return ok(r.value.import);
      }}
      reload={reload}
    />
  );
}
