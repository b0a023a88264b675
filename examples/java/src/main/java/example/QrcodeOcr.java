// tencentcloud-sdk-java against the emulator: QrcodeOCR, then one error.
//
//   TCOCR_ENDPOINT=127.0.0.1:9000 mvn -q compile exec:java [-Dexec.args=image.png]
//
// TCOCR_ENDPOINT is host:port, no scheme. TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY default
// to the emulator's built-in key pair.
package example;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.ocr.v20181119.OcrClient;
import com.tencentcloudapi.ocr.v20181119.models.QrcodeOCRRequest;
import com.tencentcloudapi.ocr.v20181119.models.QrcodeOCRResponse;
import com.tencentcloudapi.ocr.v20181119.models.QrcodeResultsInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

public class QrcodeOcr {
  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  static final String ENDPOINT = env("TCOCR_ENDPOINT", "127.0.0.1:9000");
  static final String SECRET_ID = env("TENCENTCLOUD_SECRET_ID", "AKIDEMULATOR000000000000000000000000");
  static final String SECRET_KEY = env("TENCENTCLOUD_SECRET_KEY", "EmulatorSecretKey0000000000000000");

  static OcrClient client(String secretKey) {
    HttpProfile httpProfile = new HttpProfile();
    httpProfile.setProtocol("http://"); // HttpProfile.REQ_HTTP; the default is "https://"
    httpProfile.setEndpoint(ENDPOINT); // host:port of the emulator, no scheme
    httpProfile.setReqMethod("POST");
    ClientProfile clientProfile = new ClientProfile();
    clientProfile.setSignMethod("TC3-HMAC-SHA256");
    clientProfile.setHttpProfile(httpProfile);
    return new OcrClient(new Credential(SECRET_ID, secretKey), "ap-guangzhou", clientProfile);
  }

  public static void main(String[] args) throws Exception {
    Path image = Path.of(args.length > 0 ? args[0] : "../images/qr.png");
    QrcodeOCRRequest request = new QrcodeOCRRequest();
    request.setImageBase64(Base64.getEncoder().encodeToString(Files.readAllBytes(image)));

    QrcodeOCRResponse response = client(SECRET_KEY).QrcodeOCR(request);
    for (QrcodeResultsInfo code : response.getCodeResults()) {
      System.out.println("QrcodeOCR: " + code.getTypeName() + " " + code.getUrl());
    }

    // An error: the SDK throws TencentCloudSDKException; match on getErrorCode().
    try {
      client("not-the-secret-key").QrcodeOCR(request);
      throw new IllegalStateException("expected AuthFailure.SignatureFailure, the call succeeded");
    } catch (TencentCloudSDKException err) {
      if (!"AuthFailure.SignatureFailure".equals(err.getErrorCode())) throw err;
      System.out.println("error: " + err.getErrorCode() + " (RequestId " + err.getRequestId() + ")");
    }
  }
}
