import { NamedPerson } from '@/components/person/named-person';
import type { RenderedField } from '@/lib/directory/domain/profile-fields';

const external = { target: '_blank', rel: 'noopener noreferrer' } as const;

/** A custom profile field value, rendered by type. Only text nodes: never Zulip's HTML. */
export function FieldValue({ field }: { field: RenderedField }) {
  switch (field.kind) {
    case 'text':
    case 'option':
      return <span className="break-words">{field.text}</span>;
    case 'paragraphs':
      return (
        <div className="space-y-2 break-words">
          {field.paragraphs.map((p, i) => (
            <p key={i} className="whitespace-pre-line">
              {p}
            </p>
          ))}
        </div>
      );
    case 'date':
      return <time dateTime={field.iso}>{field.text}</time>;
    case 'link':
    case 'external':
      return (
        <a href={field.href} {...external} className="break-all text-accent underline">
          {field.text}
        </a>
      );
    case 'people':
      return (
        <span>
          {field.people.map((p, i) => (
            <span key={p.id}>
              {i > 0 && ', '}
              {p.name === null ? <span className="text-ink-muted">Unknown user {p.id}</span> : <NamedPerson person={{ ...p, name: p.name }} />}
            </span>
          ))}
        </span>
      );
  }
}
