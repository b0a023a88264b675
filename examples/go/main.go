// tencentcloud-sdk-go against the emulator: QrcodeOCR, then one error.
//
//	go mod tidy
//	TCOCR_ENDPOINT=127.0.0.1:9000 go run . [image.png]
//
// TCOCR_ENDPOINT is host:port, no scheme. TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY default
// to the emulator's built-in key pair.
package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	ocr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/ocr/v20181119"
)

func env(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

var (
	endpoint  = env("TCOCR_ENDPOINT", "127.0.0.1:9000")
	secretID  = env("TENCENTCLOUD_SECRET_ID", "AKIDEMULATOR000000000000000000000000")
	secretKey = env("TENCENTCLOUD_SECRET_KEY", "EmulatorSecretKey0000000000000000")
)

func newClient(key string) *ocr.Client {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = endpoint // host:port of the emulator, no scheme
	cpf.HttpProfile.Scheme = "HTTP"     // the default is HTTPS
	cpf.HttpProfile.ReqMethod = "POST"
	cpf.SignMethod = "TC3-HMAC-SHA256"
	client, err := ocr.NewClient(common.NewCredential(secretID, key), "ap-guangzhou", cpf)
	if err != nil {
		log.Fatal(err)
	}
	return client
}

func main() {
	path := "../images/qr.png"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	image, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	request := ocr.NewQrcodeOCRRequest()
	request.ImageBase64 = common.StringPtr(base64.StdEncoding.EncodeToString(image))

	response, err := newClient(secretKey).QrcodeOCR(request)
	if err != nil {
		log.Fatal(err)
	}
	for _, code := range response.Response.CodeResults {
		fmt.Printf("QrcodeOCR: %s %s\n", *code.TypeName, *code.Url)
	}

	// An error: a *TencentCloudSDKError; match on its Code.
	_, err = newClient("not-the-secret-key").QrcodeOCR(request)
	var sdkErr *tcerr.TencentCloudSDKError
	if !errors.As(err, &sdkErr) || sdkErr.GetCode() != "AuthFailure.SignatureFailure" {
		log.Fatalf("expected AuthFailure.SignatureFailure, got %v", err)
	}
	fmt.Printf("error: %s (RequestId %s)\n", sdkErr.GetCode(), sdkErr.GetRequestId())
}
