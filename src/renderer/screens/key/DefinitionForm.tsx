/**
 * The election definition filled in on screen (docs/formats.md §2), for when the president has no file.
 * Lines of text keep the form usable from the keyboard and on a projector; the service validates the
 * result exactly as it validates a file.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface DefinitionDraft {
  id: string;
  title: string;
  opens: string;
  closes: string;
  threshold: string;
  members: string;
  constituencies: string;
  platformName: string;
  platformKey: string;
}

export const EMPTY_DRAFT: DefinitionDraft = {
  id: '',
  title: '',
  opens: '',
  closes: '',
  threshold: '3',
  members: '',
  constituencies: '',
  platformName: '',
  platformKey: '',
};

const cells = (line: string) => line.split(';').map((c) => c.trim());

/** The draft as definition JSON; malformed lines are passed on as they are, for the service to name. */
export function draftToDefinition(d: DefinitionDraft): unknown {
  const lines = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  return {
    format: 'sceau/election/v1',
    id: d.id.trim(),
    title: d.title.trim(),
    votingPeriod: { opens: d.opens.trim(), closes: d.closes.trim() },
    constituencies: lines(d.constituencies).map((line) => {
      const [id = '', name = '', kind = '', registered = '', candidates = ''] = cells(line);
      const single = kind === 'single' || kind === 'single-member';
      return {
        id,
        name,
        kind: single ? 'single-member' : kind,
        registeredVoters: Number(registered),
        blankVote: true,
        candidates: candidates
          .split('|')
          .map((c) => c.trim())
          .filter((c) => c !== '')
          .map((c) => {
            if (!single) return { name: c };
            const [name = '', substitute = ''] = c.split('/').map((x) => x.trim());
            return { name, substitute };
          }),
      };
    }),
    board: {
      threshold: Number(d.threshold),
      members: lines(d.members).map((line, i) => {
        const [name = '', role = ''] = cells(line);
        return { index: i + 1, name, role, president: i === 0 };
      }),
    },
    platform: { name: d.platformName.trim(), signingKey: d.platformKey.trim() },
  };
}

export function DefinitionForm({ draft, onChange }: { draft: DefinitionDraft; onChange: (d: DefinitionDraft) => void }) {
  const { t } = useTranslation();
  const [local, setLocal] = useState(draft);
  const field = (key: keyof DefinitionDraft, multiline = false) => {
    const id = `def-${key}`;
    const update = (value: string) => {
      const next = { ...local, [key]: value };
      setLocal(next);
      onChange(next);
    };
    return (
      <div className="field">
        <label htmlFor={id}>{t(`key.form.${key}`)}</label>
        {multiline ? (
          <textarea id={id} rows={4} value={local[key]} onChange={(e) => update(e.target.value)} />
        ) : (
          <input id={id} type="text" value={local[key]} onChange={(e) => update(e.target.value)} />
        )}
      </div>
    );
  };
  return (
    <fieldset className="definition-form">
      {field('id')}
      {field('title')}
      {field('opens')}
      {field('closes')}
      {field('threshold')}
      {field('members', true)}
      {field('constituencies', true)}
      {field('platformName')}
      {field('platformKey')}
    </fieldset>
  );
}
