module example.com/tencentcloud-ocr-emulator/examples/go

go 1.21

require (
	github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common v1.0.606
	github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/ocr v1.0.606
)
