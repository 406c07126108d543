import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from supervision.choices import PUBLISHED_STATUSES
from supervision.models import Inspection
from supervision.reports.document import bulletin_context
from supervision.reports.pdf import render_pdf
from supervision.services.bulletins import draft_from


class Command(BaseCommand):
    help = (
        "Write an inspection's bulletin (督查通报) as PDF: the issued file as it was issued, else its latest "
        "draft rendered now, else a draft made now from the findings."
    )

    def add_arguments(self, parser):
        parser.add_argument("inspection_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument(
            "--user", help="who drafts the bulletin when the inspection has none (default: its creator)"
        )

    def handle(self, *args, inspection_id, output, user=None, **options):
        inspection = Inspection.objects.filter(pk=inspection_id).first()
        if inspection is None:
            raise CommandError(f"没有编号为 {inspection_id} 的督查。")
        start = time.perf_counter()
        bulletin = inspection.bulletins.order_by("-version", "-id").first()
        target = Path(output)
        if bulletin is not None and bulletin.status in PUBLISHED_STATUSES:
            with bulletin.pdf.open("rb") as issued:
                data = issued.read()
            pages, what = bulletin.pdf_pages, f"已印发的{bulletin.number}"
        else:
            if bulletin is None:
                by = inspection.created_by
                if user:
                    by = get_user_model().objects.filter(username=user).first()
                    if by is None:
                        raise CommandError(f"没有用户 {user}。")
                bulletin = draft_from(inspection, by)
            html = render_to_string("supervision/document/bulletin.html", bulletin_context(bulletin))
            rendered = render_pdf(html)
            data, pages, what = rendered.data, rendered.pages, "通报草稿"
        target.write_bytes(data)
        self.stdout.write(
            f"{what}：{target}，{pages}页，{len(data) / 1024:.0f} KB，用时 {time.perf_counter() - start:.1f} 秒"
        )
