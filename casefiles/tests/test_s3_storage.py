"""Documents on S3-compatible storage, against a real S3 server (moto) on
loopback: the same code path as production with PRIVATE_STORAGE_S3_BUCKET."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from moto.server import ThreadedMotoServer

from casefiles import services
from casefiles.models import Document
from casefiles.tests.files import pdf_bytes
from conftest import Personas, client_for

PDF = pdf_bytes()
BUCKET = "samenspraak-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def s3() -> Iterator[Any]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its state per process: start every test from an empty server.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))  # noqa: S310
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="eu-west-1"
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    storages = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "eu-west-1",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "location": "private",
            },
        },
    }
    try:
        with override_settings(STORAGES=storages):
            yield client
    finally:
        server.stop()


def test_a_document_is_stored_in_the_bucket_and_served_through_the_checked_view(personas: Personas, s3: Any) -> None:
    case = services.case_open(resident=personas.resident, opened_by=personas.worker)
    document = services.document_add(
        case=case,
        title="Brief",
        upload=SimpleUploadedFile("brief.pdf", PDF),
        is_shared=True,
        uploaded_by=personas.worker,
    )

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"private/{document.file.name}"]
    assert "brief" not in keys[0]  # stored under a random name

    response = client_for(personas.resident).get(f"/documenten/{document.public_id}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_refused_upload_leaves_nothing_in_the_bucket(personas: Personas, s3: Any) -> None:
    case = services.case_open(resident=personas.resident, opened_by=personas.worker)

    with pytest.raises(Exception, match="soort bestand"):
        services.document_add(
            case=case,
            title="Script",
            upload=SimpleUploadedFile("script.pdf", b"#!/bin/sh\nrm -rf /\n"),
            is_shared=True,
            uploaded_by=personas.worker,
        )

    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0
    assert not Document.objects.exists()
