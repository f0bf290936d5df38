import { NotFoundView } from '@/components/ui/not-found-view';

export default function NotFound() {
  return <NotFoundView title="Page not found" message="There is nothing at this address. Looking for someone?" />;
}
