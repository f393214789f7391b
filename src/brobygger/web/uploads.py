"""The upload size limit, kept while a file arrives."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

#: what a multipart request may hold besides its file (the form's other fields, the
#: parts' headers and boundaries)
FORM_ALLOWANCE = 64 * 1024


class LimitedUpload(FileUploadHandler):
    """The first upload handler: refuses a file larger than ``settings.MAX_UPLOAD_BYTES``
    as it arrives — from the request's declared length when that already says so, else
    when its bytes pass the limit — so nothing past the limit is held in memory or written
    to a temporary file. The request is marked (``request.upload_too_large``) for the view
    to say why; the rest of its body is read and dropped (a proxy in front should cap the
    body too: ``docs/deploy.md``)."""

    declared = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared = content_length or 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.declared > settings.MAX_UPLOAD_BYTES + FORM_ALLOWANCE:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.MAX_UPLOAD_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self):
        if self.request is not None:
            self.request.upload_too_large = True
        raise StopUpload(connection_reset=False)
