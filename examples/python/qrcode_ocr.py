"""tencentcloud-sdk-python against the emulator: QrcodeOCR, then one error.

    pip install -r requirements.txt
    TCOCR_ENDPOINT=127.0.0.1:9000 python qrcode_ocr.py [image.png]

TCOCR_ENDPOINT is host:port, no scheme. TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY default
to the emulator's built-in key pair.
"""
import base64
import os
import pathlib
import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.ocr.v20181119 import models, ocr_client

ENDPOINT = os.environ.get("TCOCR_ENDPOINT", "127.0.0.1:9000")
SECRET_ID = os.environ.get("TENCENTCLOUD_SECRET_ID", "AKIDEMULATOR000000000000000000000000")
SECRET_KEY = os.environ.get("TENCENTCLOUD_SECRET_KEY", "EmulatorSecretKey0000000000000000")
IMAGE = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent / "images" / "qr.png")


def ocr(secret_key):
    # protocol="http" sets the scheme (the default is https); endpoint is host:port without a scheme.
    # The SDK honours HTTP_PROXY; NO_PROXY only as a substring of the endpoint string.
    http_profile = HttpProfile(protocol="http", endpoint=ENDPOINT, reqMethod="POST", reqTimeout=30)
    client_profile = ClientProfile(signMethod="TC3-HMAC-SHA256", httpProfile=http_profile, language="en-US")
    return ocr_client.OcrClient(credential.Credential(SECRET_ID, secret_key), "ap-guangzhou", client_profile)


request = models.QrcodeOCRRequest()
request.ImageBase64 = base64.b64encode(IMAGE.read_bytes()).decode("ascii")

response = ocr(SECRET_KEY).QrcodeOCR(request)
for code in response.CodeResults:
    print(f"QrcodeOCR: {code.TypeName} {code.Url}")

# An error: the SDK raises TencentCloudSDKException; match on get_code().
try:
    ocr("not-the-secret-key").QrcodeOCR(request)
    sys.exit("expected AuthFailure.SignatureFailure, the call succeeded")
except TencentCloudSDKException as err:
    if err.get_code() != "AuthFailure.SignatureFailure":
        raise
    print(f"error: {err.get_code()} (RequestId {err.get_request_id()})")
