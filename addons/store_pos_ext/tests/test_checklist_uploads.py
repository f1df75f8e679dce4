import base64
import io

from PIL import Image

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_checklist import ChecklistCommon

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(fmt="PNG", size=(40, 30), **save):
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, fmt, **save)
    return buf.getvalue()


@tagged("post_install", "-at_install")
class TestChecklistUploads(ChecklistCommon):
    """SOP photos as a hostile cashier sends them over RPC: the photo is set only through the item,
    and what is stored is an image Pillow decoded and wrote again."""

    def setUp(self):
        super().setUp()
        self.line = self._line(self._checklist(), "photo")
        self.as_cashier = self.line.with_user(self.cashier_a)
        self.Attachment = self.env["ir.attachment"].with_user(self.cashier_a)

    def _stored(self, fname="photo"):
        """The attachment that stores ``fname`` of the line."""
        self.env.flush_all()  # the thumbnail is computed on flush
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "store.checklist.line"),
                    ("res_field", "=", fname),
                    ("res_id", "=", self.line.id),
                ]
            )
        )
        self.assertEqual(len(attachment), 1)
        return attachment

    def assertCleanImage(self, raw, fmt):
        self.assertNotIn(b"<html", raw.lower())
        self.assertNotIn(b"<script", raw.lower())
        image = Image.open(io.BytesIO(raw))
        self.assertEqual(image.format, fmt)
        image.load()
        return image

    # ------------------------------------------------------------------ only through the item
    def test_attachment_forged_on_the_photo_field_is_refused(self):
        for fname in ("photo", "photo_512"):
            with self.subTest(fname=fname), self.assertRaisesRegex(AccessError, "not through its attachment"):
                self.Attachment.create(
                    {
                        "name": "photo.png",
                        "res_model": "store.checklist.line",
                        "res_field": fname,
                        "res_id": self.line.id,
                        "datas": base64.b64encode(HTML),
                        "mimetype": "text/html",
                    }
                )
        self.assertFalse(self.line.photo)
        self.assertFalse(self.line.is_filled)

    def test_attachment_moved_onto_or_rewritten_on_the_photo_field_is_refused(self):
        # an ordinary attachment of the item (the chatter's way) is still allowed...
        note = self.Attachment.create(
            {
                "name": "note.html",
                "res_model": "store.checklist.line",
                "res_id": self.line.id,
                "datas": base64.b64encode(HTML),
            }
        )
        # ... but it cannot become the photo
        with self.assertRaises(AccessError):
            note.write({"res_field": "photo"})
        self.assertFalse(self.line.photo)
        # the photo's own attachment cannot be rewritten, moved away or deleted either
        self.as_cashier.photo = base64.b64encode(image_bytes())
        stored = self._stored().with_user(self.cashier_a)
        before = stored.sudo().raw
        for vals in ({"datas": base64.b64encode(HTML), "mimetype": "text/html"}, {"res_field": False}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                stored.write(vals)
        with self.assertRaises(AccessError):
            stored.unlink()
        self.assertEqual(self._stored().raw, before)

    # ------------------------------------------------------------------ clean images
    def test_html_file_as_photo_is_refused_naming_the_item(self):
        # a PNG signature and header, then HTML: guessed as a PNG from its first bytes, not an image
        fake_png = image_bytes()[:33] + HTML
        line = self.as_cashier.with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "端架照片：文件无法解析为图片"):
            line.photo = base64.b64encode(fake_png)
        with self.assertRaisesRegex(ValidationError, "端架照片.*JPG/PNG/WEBP"):
            line.photo = base64.b64encode(HTML)
        self.assertFalse(self.line.photo)
        self.assertFalse(self.line.review_state)

    def test_png_with_html_appended_is_stored_clean(self):
        self.as_cashier.photo = base64.b64encode(image_bytes() + HTML)
        image = self.assertCleanImage(self._stored().raw, "PNG")
        self.assertEqual(image.size, (40, 30))
        self.assertCleanImage(base64.b64decode(self.line.photo), "PNG")
        self.assertCleanImage(self._stored("photo_512").raw, "PNG")
        self.assertEqual(self._stored().mimetype, "image/png")

    def test_jpeg_and_webp_lose_their_hidden_payload(self):
        jpeg = image_bytes("JPEG", comment=HTML) + HTML
        self.assertIn(b"<script", jpeg)
        self.as_cashier.photo = base64.b64encode(jpeg)
        self.assertCleanImage(self._stored().raw, "JPEG")
        self.as_cashier.photo = base64.b64encode(image_bytes("WEBP") + HTML)
        self.assertCleanImage(self._stored().raw, "WEBP")

    def test_normal_photo_through_the_item(self):
        self.as_cashier.photo = base64.b64encode(image_bytes(size=(64, 48)))
        self.assertTrue(self.line.is_filled)
        self.assertEqual(self.line.review_state, "pending")
        self.assertEqual(self.line.filled_by_id, self.cashier_a)
        image = self.assertCleanImage(base64.b64decode(self.as_cashier.photo), "PNG")
        self.assertEqual(image.size, (64, 48))
        self.as_cashier.photo = False
        self.assertFalse(self.line.photo)
