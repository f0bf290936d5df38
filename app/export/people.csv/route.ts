import { exportView } from '@/app/export/export-response';
import { apiRoute } from '@/lib/server/api-route';

/** GET /export/people.csv?q=&department=&office=&status=&sort=: the view as a spreadsheet (RFC 4180, UTF-8 with BOM). */
export const GET = apiRoute('/export/people.csv', (call) => exportView(call, 'csv'));
