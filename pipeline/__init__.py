"""pressx: structured data from Turkish, English and Russian press releases.

    from pipeline import Pipeline
    record = Pipeline().extract_text("Dışişleri Bakanı Hakan Fidan Bakü'de konuştu.")
"""

__version__ = "0.1.0"

from .doc import Doc  # noqa: E402
from .run.extract import Pipeline, Settings, StageError  # noqa: E402
from .run.reading import Document, read_document  # noqa: E402
from .stages.resolution import Registry  # noqa: E402
from .schema import City, Country, DateMention, ErrorEntry, Person, Record, Role  # noqa: E402

__all__ = ["Pipeline", "Settings", "StageError", "Doc", "Document", "read_document", "Registry",
           "Record", "Person", "Role", "Country", "City", "DateMention", "ErrorEntry", "__version__"]
