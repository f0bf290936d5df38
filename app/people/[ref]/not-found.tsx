import { NotFoundView } from '@/components/ui/not-found-view';

/** A real 404 for an unknown person, with a way to look for them. */
export default function PersonNotFound() {
  return (
    <NotFoundView
      title="No one here by that name"
      message="This link doesn’t match anyone in the directory. They may have left, or the link may be mistyped."
    />
  );
}
