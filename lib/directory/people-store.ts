import { detectFieldRoles, type FieldRoles } from '@/lib/directory/field-roles';
import { toPerson } from '@/lib/directory/to-person';
import { inertText } from '@/lib/directory/safe-text';
import type { FieldDefinition, Person } from '@/lib/directory/types';
import type { FieldRecord, StatusRecord, UserChanges, UserRecord, ZulipUpdate } from '@/lib/zulip/records';

export interface DirectorySnapshot {
  users: UserRecord[];
  fields: FieldRecord[];
  statuses: Map<number, StatusRecord>;
  realmUrl: string;
}

/** The updates the people store applies; presence and realm updates belong elsewhere. */
export type PeopleUpdate = Extract<ZulipUpdate, { kind: 'user_added' | 'user_updated' | 'user_removed' | 'status_changed' | 'fields_changed' }>;

/**
 * Everyone in the organization, as Zulip last told us, kept current from events. Holds the user
 * records (so a field-definition change can re-derive every Person) and the derived people.
 * Bots and deactivated accounts are kept for lookups but never listed.
 */
export class PeopleStore {
  private raw = new Map<number, UserRecord>();
  private statuses = new Map<number, StatusRecord>();
  private definitions = new Map<number, FieldDefinition>();
  private roles: FieldRoles = detectFieldRoles([]);
  private realmUrl = '';
  private people = new Map<number, Person>();
  private byEmail = new Map<string, number>();
  private listed: Person[] | null = null;
  /** Bumped on every change; caches (search index, facets) key on it. */
  version = 0;

  replaceAll(snapshot: DirectorySnapshot): void {
    this.realmUrl = snapshot.realmUrl;
    this.raw = new Map(snapshot.users.map((u) => [u.id, u]));
    this.statuses = new Map(snapshot.statuses);
    this.setDefinitions(snapshot.fields);
  }

  apply(update: PeopleUpdate): void {
    switch (update.kind) {
      case 'fields_changed':
        this.setDefinitions(update.fields);
        return;
      case 'status_changed':
        // Zulip sends only the changed keys.
        this.statuses.set(update.userId, { ...this.statuses.get(update.userId), ...update.status });
        this.rederive(update.userId);
        return;
      case 'user_added':
        this.raw.set(update.user.id, update.user);
        this.rederive(update.user.id);
        return;
      case 'user_removed':
        this.raw.delete(update.userId);
        this.rederive(update.userId);
        return;
      case 'user_updated':
        this.applyUserChanges(update.userId, update.changes);
        this.rederive(update.userId);
    }
  }

  get(id: number): Person | undefined {
    return this.people.get(id);
  }

  /** Resolves a user id, a Zulip API email or a real email (case-insensitive) to a listed person. */
  resolve(ref: string): Person | undefined {
    const trimmed = ref.trim();
    const id = /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : this.byEmail.get(trimmed.toLowerCase());
    return id === undefined ? undefined : this.people.get(id);
  }

  idForApiEmail(email: string): number | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  /** Active humans, in no particular order. */
  list(): Person[] {
    this.listed ??= [...this.people.values()];
    return this.listed;
  }

  fieldDefinitions(): FieldDefinition[] {
    return [...this.definitions.values()].sort((a, b) => a.order - b.order);
  }

  fieldRoles(): FieldRoles {
    return this.roles;
  }

  private setDefinitions(fields: FieldRecord[]): void {
    this.definitions = new Map(fields.map((f) => [f.id, { ...f, name: inertText(f.name), hint: inertText(f.hint) }]));
    this.roles = detectFieldRoles([...this.definitions.values()]);
    this.rebuild();
  }

  private applyUserChanges(id: number, changes: UserChanges): void {
    const current = this.raw.get(id);
    if (!current) return;
    const { profileField, ...rest } = changes;
    const next: UserRecord = { ...current, ...rest };
    if (profileField) {
      next.profile = { ...current.profile };
      if (profileField.value === null || profileField.value === '') delete next.profile[String(profileField.id)];
      else next.profile[String(profileField.id)] = profileField.value;
    }
    if (rest.role !== undefined) next.isGuest = rest.role === 600;
    this.raw.set(id, next);
  }

  private rebuild(): void {
    this.people.clear();
    this.byEmail.clear();
    for (const id of this.raw.keys()) this.derive(id);
    this.changed();
  }

  private rederive(id: number): void {
    const old = this.people.get(id);
    if (old) {
      this.byEmail.delete(old.apiEmail.toLowerCase());
      if (old.email) this.byEmail.delete(old.email.toLowerCase());
      this.people.delete(id);
    }
    this.derive(id);
    this.changed();
  }

  private derive(id: number): void {
    const user = this.raw.get(id);
    if (!user || user.isBot || !user.isActive) return;
    const person = toPerson(user, {
      roles: this.roles,
      fields: this.definitions,
      realmUrl: this.realmUrl,
      status: this.statuses.get(id),
    });
    this.people.set(id, person);
    this.byEmail.set(person.apiEmail.toLowerCase(), id);
    if (person.email) this.byEmail.set(person.email.toLowerCase(), id);
  }

  private changed(): void {
    this.listed = null;
    this.version++;
  }
}
