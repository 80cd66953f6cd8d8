"""A generated photo for demo results (drawn with Pillow: no real person, no real place)."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from gridgov.cases.media import CheckedImage, check_photo


def demo_photo(label: str) -> CheckedImage:
    image = Image.new("RGB", (480, 360), (214, 226, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 200, 440, 330), fill=(150, 160, 170))
    draw.rectangle((180, 80, 300, 200), fill=(120, 170, 120))
    draw.text((20, 20), f"GridGov demo · {label}", fill=(40, 40, 40))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return check_photo(SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), "image/jpeg"))
