import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from departments.permissions import SYSTEM
from documents.pdf import render_pdf
from supervision.choices import PUBLISHED_STATUSES
from supervision.models import Inspection
from supervision.reports.document import bulletin_context
from supervision.reports.word import bulletin_docx
from supervision.services.bulletins import bulletin_draft


class Command(BaseCommand):
    help = (
        "Write an inspection's bulletin (督查通报) as PDF, or as Word when the file name ends in .docx: the "
        "issued bulletin as it was issued, else its latest draft rendered now, else a draft made now from the findings."
    )

    def add_arguments(self, parser):
        parser.add_argument("inspection_id", type=int)
        parser.add_argument("-o", "--output", required=True, help="the PDF (or .docx) file to write")
        parser.add_argument(
            "--user", help="who drafts the bulletin when the inspection has none (default: its creator, by the system)"
        )

    def handle(self, *args, inspection_id, output, user=None, **options):
        inspection = Inspection.objects.filter(pk=inspection_id).first()
        if inspection is None:
            raise CommandError(f"没有编号为 {inspection_id} 的督查。")
        start = time.perf_counter()
        bulletin = inspection.bulletins.order_by("-version", "-id").first()
        target = Path(output)
        if target.suffix.lower() == ".docx":
            bulletin = bulletin or self._draft(inspection, user)
            data = bulletin_docx(bulletin)
            target.write_bytes(data)
            label = bulletin.number if bulletin.sequence else "通报草稿"
            took = time.perf_counter() - start
            self.stdout.write(f"{label}（Word）：{target}，{len(data) / 1024:.0f} KB，用时 {took:.1f} 秒")
            return
        if bulletin is not None and bulletin.status in PUBLISHED_STATUSES:
            with bulletin.pdf.open("rb") as issued:
                data = issued.read()
            pages, what = bulletin.pdf_pages, f"已印发的{bulletin.number}"
        else:
            if bulletin is None:
                bulletin = self._draft(inspection, user)
            html = render_to_string("supervision/document/bulletin.html", bulletin_context(bulletin))
            rendered = render_pdf(html)
            data, pages, what = rendered.data, rendered.pages, "通报草稿"
        target.write_bytes(data)
        self.stdout.write(
            f"{what}：{target}，{pages}页，{len(data) / 1024:.0f} KB，用时 {time.perf_counter() - start:.1f} 秒"
        )

    def _draft(self, inspection, user):
        """A draft made now: by the named user, or by the system in the inspection's author's name."""
        by = SYSTEM
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"没有用户 {user}。")
        try:
            return bulletin_draft(inspection=inspection, by=by)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
