// Package harbortransfer runs one replication task the way Harbor's
// jobservice runs it: the image transfer from Harbor's transfer registry,
// given the source and destination resources. It papers over the one
// signature change between the Harbor versions this module builds against.
package harbortransfer

import (
	"fmt"
	"reflect"

	trans "github.com/goharbor/harbor/src/controller/replication/transfer"
	_ "github.com/goharbor/harbor/src/controller/replication/transfer/image" // registers the image transfer
	"github.com/goharbor/harbor/src/pkg/reg/model"
)

// Options of one task: the rule's bandwidth limit (Kbit/s, 0: none) and
// "copy by chunk".
type Options struct {
	Speed   int32
	ByChunk bool
}

// Run copies (or deletes) src to dst with Harbor's image transfer, logging
// to logger. Transfer(src, dst, speed) in Harbor < 2.9,
// Transfer(src, dst, *Options) since; ByChunk on a Harbor without copy by
// chunk is an error.
func Run(logger trans.Logger, src, dst *model.Resource, o Options) error {
	factory, err := trans.GetFactory(model.ResourceTypeImage)
	if err != nil {
		return err
	}
	tr, err := factory(logger, func() bool { return false })
	if err != nil {
		return err
	}
	m := reflect.ValueOf(tr).MethodByName("Transfer")
	if !m.IsValid() || m.Type().NumIn() != 3 {
		return fmt.Errorf("unknown Transfer method on %T", tr)
	}
	third := m.Type().In(2)
	var arg reflect.Value
	switch third.Kind() {
	case reflect.Int32:
		if o.ByChunk {
			return fmt.Errorf("this Harbor's transfer has no copy by chunk")
		}
		arg = reflect.ValueOf(o.Speed)
	case reflect.Ptr:
		arg = reflect.New(third.Elem())
		arg.Elem().FieldByName("Speed").SetInt(int64(o.Speed))
		arg.Elem().FieldByName("CopyByChunk").SetBool(o.ByChunk)
	default:
		return fmt.Errorf("unknown Transfer signature %v", m.Type())
	}
	res := m.Call([]reflect.Value{reflect.ValueOf(src), reflect.ValueOf(dst), arg})
	err, _ = res[0].Interface().(error)
	return err
}
