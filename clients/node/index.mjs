// The ES module face of index.cjs: the same objects, named exports.
import impmock from './index.cjs';

export const {
  Impmock, ImpmockError, attach, start, VERSION, DEFAULT_IMP_KEY, DEFAULT_IMP_SECRET,
} = impmock;
export default impmock;
