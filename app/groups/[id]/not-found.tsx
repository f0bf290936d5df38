import { NotFoundView } from '@/components/ui/not-found-view';

/** A real 404 for an unknown team (or a Zulip system group or a deactivated one, which are no teams). */
export default function TeamNotFound() {
  return (
    <NotFoundView
      title="No team here"
      message="This link doesn’t match any team in the directory. The team may have been deactivated, or the link may be mistyped."
    />
  );
}
