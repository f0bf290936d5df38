import { exportView } from '@/app/export/export-response';
import { apiRoute } from '@/lib/server/api-route';

/** GET /export/people.vcf?q=&department=&office=&status=&sort=: the view as vCards (RFC 6350), one per person. */
export const GET = apiRoute('/export/people.vcf', (call) => exportView(call, 'vcf'));
