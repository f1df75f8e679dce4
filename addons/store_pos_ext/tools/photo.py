"""The checks of a photo uploaded by store staff (SOP checklist photos, beauty care records' before
and after photos): size, type, and a re-encoding by Pillow that keeps only the decoded pixels."""

import base64
import binascii
import io

from PIL import Image, WebPImagePlugin

from odoo.exceptions import ValidationError
from odoo.tools.image import IMAGE_MAX_RESOLUTION, image_fix_orientation
from odoo.tools.mimetypes import guess_mimetype

PHOTO_MIMETYPES = {"image/jpeg": "JPG", "image/png": "PNG", "image/webp": "WEBP"}
# Pillow format of each accepted type -> (format written, save options)
PHOTO_ENCODINGS = {
    "JPEG": ("JPEG", {"quality": 90, "optimize": True}),
    "PNG": ("PNG", {"optimize": True}),
    # odoo.tools.image preloads Pillow with JPEG/PNG only: importing the plugin registers WEBP
    WebPImagePlugin.WebPImageFile.format: ("WEBP", {"quality": 90}),
}
PHOTO_MAX_BYTES = 10 * 1024 * 1024


def clean_photo(env, data, label, field):
    """``data`` (a base64 photo as sent by the browser) checked (size, type) and re-encoded by
    Pillow within the size of the image ``field`` (its max_width/max_height): only the decoded
    pixels are kept (no trailing data, comments, EXIF or other metadata), so what is stored and
    served is a plain image. Raise a ValidationError naming ``label`` (the item, the photo)
    otherwise. A falsy ``data`` (no photo, a photo removed) is returned as is."""
    if not data:
        return data
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ValidationError(env._("%s: the photo could not be read.", label)) from e
    if len(raw) > PHOTO_MAX_BYTES:
        raise ValidationError(
            env._(
                "%(item)s: the photo is %(size).1f MB; the limit is %(max)d MB.",
                item=label,
                size=len(raw) / 1024 / 1024,
                max=PHOTO_MAX_BYTES // 1024 // 1024,
            )
        )
    if guess_mimetype(raw, "") not in PHOTO_MIMETYPES:
        raise _photo_type_error(env, label)
    return base64.b64encode(_reencode_photo(env, raw, label, field))


def _photo_type_error(env, label):
    return ValidationError(
        env._(
            "%(item)s: only %(types)s photos are accepted.",
            item=label,
            types="/".join(PHOTO_MIMETYPES.values()),
        )
    )


def _reencode_photo(env, raw, label, field):
    """Decode ``raw`` with Pillow and encode its pixels again in the same format, oriented
    and within the photo field's size."""
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format not in PHOTO_ENCODINGS:
                raise _photo_type_error(env, label)
            if image.width * image.height > IMAGE_MAX_RESOLUTION:
                raise ValidationError(
                    env._(
                        "%(item)s: the photo is larger than %(max)d megapixels.",
                        item=label,
                        max=int(IMAGE_MAX_RESOLUTION // 1e6),
                    )
                )
            output_format, options = PHOTO_ENCODINGS[image.format]
            image.load()
            image = image_fix_orientation(image)
            if field.max_width and field.max_height:
                image.thumbnail((field.max_width, field.max_height), Image.Resampling.LANCZOS)
            mode = "RGB" if output_format == "JPEG" or image.mode not in ("RGBA", "LA", "P") else "RGBA"
            clean = image.convert(mode)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
        raise ValidationError(env._("%s: the file could not be decoded as an image.", label)) from e
    clean.info.clear()  # no comment, EXIF, ICC or text chunk is written back
    buffer = io.BytesIO()
    clean.save(buffer, output_format, **options)
    return buffer.getvalue()
